"""Forms of the accounts app."""

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's login, worded for citizens: the username is the BHXH code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Mã số BHXH hoặc tên đăng nhập"
        login.help_text = "Công dân đăng nhập bằng mã số BHXH gồm 10 chữ số."
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["inputmode"] = "text"
        password = self.fields["password"]
        password.label = "Mật khẩu"
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)
