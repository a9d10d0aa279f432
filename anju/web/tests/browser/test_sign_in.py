from anju.web.tests.browser.conftest import screenshot, sign_in


def test_it_signs_in_in_chinese_and_switches_to_english(open_page, people):
    page = open_page()
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    screenshot(page, "00-sign-in")
    sign_in(page, "dispatcher")
    assert page.url.endswith("/work/")
    with page.expect_navigation():
        page.get_by_label("语言").select_option("en")
    assert page.get_by_role("link", name="Workbench").is_visible()
    assert page.js_errors == []


def test_it_refuses_a_wrong_password_with_a_message(open_page, people):
    page = open_page()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("dispatcher")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url
