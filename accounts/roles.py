"""Staff roles: the groups officers and clinic staff belong to, with only the permissions they need."""

DISTRICT_OFFICER = "Cán bộ BHXH cơ sở"
PROVINCE_OFFICER = "Cán bộ BHXH tỉnh"
CLINIC_STAFF = "Nhân viên cơ sở KCB"

GROUP_PERMISSIONS = {
    DISTRICT_OFFICER: ["view_registration", "decide_registration", "view_person"],
    PROVINCE_OFFICER: ["view_registration", "decide_registration", "view_person"],
    CLINIC_STAFF: [],
}


def sync_groups(group_model, permission_model) -> dict:
    """Create the groups and set their permissions (models passed in so migrations can use it)."""
    groups = {}
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(permission_model.objects.filter(content_type__app_label="accounts", codename__in=codenames))
        groups[name] = group
    return groups
