"""Seed rows of the beneficiary tables (QĐ 1351/QĐ-BHXH): benefit levels and which level each
group gets. Loaded by a migration and kept editable in the admin afterwards (the 2026 changes to
the group→level mapping are a data edit, not a code change). `load()` only adds missing rows."""

LEVELS = [
    (1, 100, "100 % chi phí KCB, không giới hạn tỷ lệ thanh toán thuốc, vật tư y tế"),
    (2, 100, "100 % chi phí KCB, có giới hạn tỷ lệ thanh toán một số thuốc, dịch vụ kỹ thuật"),
    (3, 95, "95 % chi phí KCB, có giới hạn tỷ lệ thanh toán một số thuốc, dịch vụ kỹ thuật"),
    (4, 80, "80 % chi phí KCB, có giới hạn tỷ lệ thanh toán một số thuốc, dịch vụ kỹ thuật"),
    (5, 100, "100 % chi phí KCB, kể cả chi phí ngoài phạm vi được hưởng BHYT"),
]

# code, name, payer, level
GROUPS = [
    ("DN", "Người lao động trong doanh nghiệp", "employment", 4),
    ("HX", "Người lao động trong hợp tác xã", "employment", 4),
    ("CH", "Cán bộ, công chức, viên chức", "employment", 4),
    ("NN", "Người lao động trong tổ chức nước ngoài, quốc tế tại Việt Nam", "employment", 4),
    ("TK", "Người lao động trong các tổ chức khác", "employment", 4),
    ("HC", "Cán bộ, công chức, viên chức theo quy định của pháp luật", "employment", 4),
    ("XK", "Người hoạt động không chuyên trách ở xã, phường, thị trấn", "employment", 4),
    ("HT", "Người hưởng lương hưu, trợ cấp mất sức lao động", "fund", 3),
    ("TB", "Người hưởng trợ cấp BHXH hằng tháng do tai nạn lao động, bệnh nghề nghiệp", "fund", 4),
    ("NO", "Người lao động nghỉ việc hưởng chế độ ốm đau dài ngày", "fund", 4),
    ("CT", "Người từ đủ 80 tuổi hưởng trợ cấp tuất hằng tháng", "fund", 4),
    ("XB", "Cán bộ xã, phường, thị trấn đã nghỉ việc hưởng trợ cấp BHXH hằng tháng", "fund", 4),
    ("TN", "Người hưởng trợ cấp thất nghiệp", "fund", 4),
    ("CS", "Công nhân cao su nghỉ việc hưởng trợ cấp hằng tháng", "fund", 4),
    ("QN", "Sĩ quan, quân nhân chuyên nghiệp, hạ sĩ quan, binh sĩ quân đội", "state", 5),
    ("CA", "Sĩ quan, hạ sĩ quan, chiến sĩ công an nhân dân", "state", 5),
    ("CY", "Người làm công tác cơ yếu", "state", 5),
    ("XN", "Cán bộ xã, phường, thị trấn đã nghỉ việc hưởng trợ cấp từ ngân sách nhà nước", "state", 4),
    ("MS", "Người đã thôi hưởng trợ cấp mất sức lao động", "state", 4),
    ("CC", "Người có công với cách mạng", "state", 1),
    ("CK", "Người có công với cách mạng khác", "state", 2),
    ("CB", "Cựu chiến binh", "state", 2),
    ("KC", "Người trực tiếp tham gia kháng chiến", "state", 2),
    ("HD", "Đại biểu Quốc hội, Hội đồng nhân dân đương nhiệm", "state", 4),
    ("TE", "Trẻ em dưới 6 tuổi", "state", 1),
    ("BT", "Người hưởng trợ cấp bảo trợ xã hội hằng tháng", "state", 2),
    ("HN", "Người thuộc hộ gia đình nghèo", "state", 2),
    ("DT", "Người dân tộc thiểu số ở vùng có điều kiện kinh tế – xã hội khó khăn", "state", 2),
    ("DK", "Người sinh sống ở vùng có điều kiện kinh tế – xã hội đặc biệt khó khăn", "state", 2),
    ("XD", "Người sinh sống ở xã đảo, huyện đảo", "state", 2),
    ("TS", "Thân nhân của người có công với cách mạng", "state", 2),
    ("TC", "Thân nhân liệt sĩ", "state", 3),
    ("TQ", "Thân nhân của quân nhân", "state", 4),
    ("TV", "Thân nhân của người làm công tác cơ yếu", "state", 4),
    ("TA", "Thân nhân của công an nhân dân", "state", 4),
    ("TY", "Thân nhân của người làm công tác khác trong tổ chức cơ yếu", "state", 4),
    ("HG", "Người đã hiến bộ phận cơ thể người", "state", 4),
    ("LS", "Người nước ngoài học tập tại Việt Nam được cấp học bổng", "state", 4),
    ("PV", "Người phục vụ người có công với cách mạng", "state", 4),
    ("CN", "Người thuộc hộ gia đình cận nghèo", "supported", 3),
    ("HS", "Học sinh", "supported", 4),
    ("SV", "Sinh viên", "supported", 4),
    ("GB", "Người thuộc hộ gia đình làm nông, lâm, ngư, diêm nghiệp có mức sống trung bình", "supported", 4),
    ("GD", "Người tham gia BHYT theo hộ gia đình", "household", 4),
]


def load(level_model, group_model) -> None:
    """Add the missing rows (models passed in so a migration can use it)."""
    for level, percent, description in LEVELS:
        level_model.objects.get_or_create(level=level, defaults={"percent": percent, "description": description})
    for code, name, payer, level in GROUPS:
        group_model.objects.get_or_create(code=code, defaults={"name": name, "payer": payer, "level_id": level})
