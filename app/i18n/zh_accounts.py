"""Chinese for accounts, logs and crash reports: one's own password, log out / switch user,
the ``users`` command (app/services/users.py, app/ui/users/own_password.py,
app/ui/main_window.py, app/ui/window.py, app/cli/users_cmd.py, app/ui/crash_dialog.py)."""

TEXT_ZH: dict[str, str] = {
    # the users service
    "Current password": "当前密码",
    "The current password is wrong.": "当前密码不正确。",
    "The new password must differ from the current one.": "新密码不能与当前密码相同。",
    "There is no user '{name}'.": "没有用户名为“{name}”的用户。",
    # 修改密码
    "Change my password": "修改密码",
    "Change my password…": "修改密码…",
    "New password": "新密码",
    "New password again": "再次输入新密码",
    "Your password was changed.": "密码已修改。",
    # 注销/切换用户
    "Log out / switch user": "注销/切换用户",
    "{count} order windows have changes that are not saved yet.":
        "有 {count} 个工单窗口的修改尚未保存。",
    "Discard them, or go back and save them first?": "放弃这些修改，还是返回先保存？",
    # repair-station users
    "active": "启用",
    "deactivated": "已停用",
    "New password: ": "新密码：",
    "New password again: ": "再次输入新密码：",
    "No password on standard input.": "标准输入中没有密码。",
    "New password set for {username} ({name}); the account is unlocked.":
        "已为 {username}（{name}）设置新密码，账号已解锁。",
    # the crash dialog
    "Unexpected error": "程序出现意外错误",
    "The program ran into an unexpected error.": "程序出现意外错误。",
    "What was saved before stays saved. Save an error report and send it to support; it "
    "holds the program's versions, where the error happened and the last log lines, and no "
    "customer data.":
        "之前已保存的数据不受影响。请保存错误报告并发送给技术支持；报告包含程序版本、出错位置和"
        "最近的日志，不含客户信息。",
    "Save error report…": "保存错误报告…",
    "Continue": "继续",
    "Save the error report in": "错误报告保存到",
    "The report could not be saved: {error}": "错误报告无法保存：{error}",
    "Saved as {path}": "已保存为 {path}",
}
