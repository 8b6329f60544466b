"""django-allauth adapter: the portal's rules for accounts.

Self-service sign-up is closed: citizen accounts are created when an officer approves a
registration (`/dang-ky/`), never through allauth's sign-up form. Messages a citizen can meet
at login are worded in Vietnamese here (allauth's own Vietnamese catalogue is incomplete).
"""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "Tài khoản này đang bị khóa. Hãy liên hệ cơ quan BHXH hoặc tổng đài 1900 9068.",
        "username_password_mismatch": "Mã số BHXH (tên đăng nhập) hoặc mật khẩu không đúng.",
        "invalid_login": "Thông tin đăng nhập không hợp lệ.",
        "incorrect_code": "Mã xác thực không đúng.",
        "incorrect_password": "Mật khẩu không đúng.",
        "enter_current_password": "Hãy nhập mật khẩu hiện tại.",
        "too_many_login_attempts": "Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau ít phút.",
        "rate_limited": "Bạn gửi yêu cầu quá nhanh. Hãy đợi một lát rồi thử lại.",
        "same_as_current": "Giá trị mới phải khác giá trị hiện tại.",
    }

    def is_open_for_signup(self, request):
        return False
