"""Date and time formats (settings.FORMAT_MODULE_PATH), the same in both languages: dates are
written and read dd/mm/yyyy everywhere, the admin included. Django's own Vietnamese formats
write "Ngày 01 tháng 12 năm 2026", and its default input formats read 01/12/2026 as 12 January
(%m/%d/%Y); they are replaced here. Names not set here keep Django's locale value (numbers)."""
