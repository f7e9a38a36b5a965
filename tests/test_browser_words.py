"""The check-in's words on a small phone: whole words on every button, and no stale follow-up."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sessions.models import CheckIn
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The words of each tap button broken across lines (a word whose text takes more than one
# line box), or sticking out of its button.
BROKEN_WORDS = """
(selector) => {
  const broken = [];
  for (const label of document.querySelectorAll(selector)) {
    const box = label.getBoundingClientRect();
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g;
      let match;
      while ((match = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const tops = new Set(rects.map((r) => Math.round(r.top)));
        const outside = rects.some((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5);
        if (tops.size > 1 || outside) broken.push(match[0] + " in " + label.innerText);
      }
    }
  }
  return broken;
}
"""


@pytest.mark.parametrize("width", [360, 393])
@pytest.mark.parametrize(
    ("url", "question"), [("/today/", "Energy"), ("/runs/new/", "How hard was it?")]
)
def test_it_breaks_no_word_on_the_tap_buttons(browser, live_server, alice, width, url, question):
    call_command("load_library", verbosity=0)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 780}, is_mobile=True
    )
    page = context.new_page()
    log_in(page, alice, live_server)
    page.goto(url)
    expect(page.get_by_role("group", name=question)).to_be_visible()
    assert page.evaluate(BROKEN_WORDS, "form label.btn") == []
    context.close()


def test_it_hides_and_does_not_send_what_the_run_was_after_none(phone, alice, live_server):
    call_command("load_library", verbosity=0)
    log_in(phone, alice, live_server)
    phone.goto("/today/")
    what = phone.get_by_role("group", name="What was it?")
    phone.get_by_text("Yesterday", exact=True).click()
    expect(what).to_be_visible()
    what.get_by_text("Long or very hard").click()
    phone.get_by_text("More than 3 days ago / none", exact=True).click()
    expect(what).to_be_hidden()
    with phone.expect_request(lambda r: r.method == "POST" and "/today/" in r.url) as sent:
        phone.get_by_role("button", name="Show today's plan").click()
    assert "run_kind=" not in (sent.value.post_data or "")  # the hidden question is not sent
    phone.wait_for_url("**/sessions/*/")
    checkin = CheckIn.objects.get(athlete=alice)
    assert (checkin.last_hard_run, checkin.run_kind) == ("gt3", "")
