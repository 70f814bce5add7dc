"""Chinese for a customer's data on request (个人信息导出/删除): the service's messages, the
个人信息 paper, the command and the customer page's actions."""

TEXT_ZH: dict[str, str] = {
    # permissions
    "export a customer's personal data": "导出客户个人信息",
    "erase a customer's personal data": "删除客户个人信息",
    # service
    "Requested by": "申请人",
    "This customer's personal data was already erased.": "该客户的个人信息已经删除过了。",
    "{n} customers have this phone; give the customer's id.":
        "有 {n} 位客户使用这个电话，请给出客户编号。",
    "The export is a .zip file; give a name ending in .zip.":
        "导出文件是 .zip 文件，请给出以 .zip 结尾的文件名。",
    "The folder {folder} does not exist.": "文件夹 {folder} 不存在。",
    # the paper
    "Personal data held about a customer": "客户个人信息",
    "This paper lists the personal data the station holds about the customer below, with "
    "every order, product and payment; data.json beside it holds the same in "
    "machine-readable form, and photos/ the photos.":
        "本表列出本站保存的下列客户的个人信息及其全部工单、产品和收款；同一压缩包中的 "
        "data.json 以机器可读的形式保存相同内容，photos/ 文件夹保存照片。",
    "Repair": "维修记录",
    "Charge": "费用项目",
    "Created at": "建档时间",
    "Erased at": "删除时间",
    "No orders.": "没有工单。",
    "Sale no.": "销售单号",
}
TEXT_ZH.update({
    # the command line (app/cli/privacy_cmd.py)
    "Wrote the customer's personal data ({orders} orders, {photos} photos) to {file}.":
        "已将客户个人信息（{orders} 张工单，{photos} 张照片）写入 {file}。",
    "{n} photos could not be read at this station; data.json names them.":
        "有 {n} 张照片在本站无法读取，data.json 中列出了它们。",
    "The customer's name, phones, address and notes will be erased from every record, the "
    "audit and the data waiting for head office; the orders stay (numbers, dates, products, "
    "faults, charges, amounts).":
        "将从所有记录、审计日志和待上传总部的数据中删除该客户的姓名、电话、地址和备注；"
        "工单保留（单号、日期、产品、故障、费用、金额）。",
    "Type 删除 to erase: ": "输入“删除”确认删除：",
    "Nothing was erased.": "未删除任何内容。",
    "Erased the customer's personal data ({orders} orders kept); head office erases its copy "
    "at the next sync.":
        "已删除该客户的个人信息（保留 {orders} 张工单）；下次同步时总部也会删除其副本。",
})
TEXT_ZH.update({
    # the customer file's actions (app/ui/customers/privacy.py)
    "Export personal data": "导出个人信息",
    "Erase personal data": "删除个人信息",
    "Personal data": "个人信息",
    "Zip files (*.zip)": "Zip 压缩文件 (*.zip)",
    "Erase the personal data of {name}. Erased: the name, phones, address and notes, the "
    "orders' contact phone and service address, and every copy of them in the records, the "
    "audit log and the data for head office (head office erases its copy at the next sync). "
    "Kept for the warranty period: the orders' numbers, dates, products, faults, charges and "
    "amounts. This cannot be undone.":
        "删除 {name} 的个人信息。将删除：姓名、电话、地址和备注，工单的联系电话和服务地址，"
        "以及它们在各记录、审计日志和待上传总部数据中的所有副本（总部在下次同步时删除其副本）。"
        "三包期内保留：工单的单号、日期、产品、故障、费用和金额。删除后无法恢复。",
    "e.g. the customer himself, by phone": "例如：客户本人来电申请",
    "Type 删除 to confirm": "输入“删除”确认",
    "Erase": "删除",
    "Everything the station holds about this customer in one .zip ({keys})":
        "将本站保存的该客户的全部信息导出为一个 .zip 文件（{keys}）",
    "Erase this customer's personal data on request ({keys})":
        "应客户要求删除其个人信息（{keys}）",
    "This customer's personal data was erased on request: the file cannot be filled in "
    "again. Record the person as a new customer if they come back.":
        "该客户的个人信息已应本人要求删除，档案不能再填回。如其再次来电，请作为新客户登记。",
})
