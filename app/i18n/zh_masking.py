"""Chinese of the masked phones (app.domain.phone_mask, app.services.phone_view,
app.ui.masking): the reveal action, its audit note and the refusal of a masked number."""

TEXT_ZH = {
    "Show full number": "显示完整号码",
    "Show the whole phone number ({keys}); the audit records who saw it":
        "显示完整电话号码({keys});审计日志记录查看人",
    "Full number shown; the audit records it.": "已显示完整号码,审计日志已记录。",
    "Type the whole phone number: '{value}' is masked.": "请输入完整电话号码:“{value}”已隐去部分数字。",
    "reveal a masked phone number": "查看隐去的电话号码",
}
