"""Pages written the way Telegram Desktop's HTML export lays them out, for samples and tests.

The shape follows tdesktop's export_output_html.cpp: a page header with the chat name, a history
div, day lines as service messages with negative ids, and messages with the date title, the
sender (left out in "joined" messages), and the escaped text with `<br>` line breaks.
"""

from __future__ import annotations

from html import escape

HEAD = """<!DOCTYPE html>
<html>

 <head>

  <meta charset="utf-8"/>
<title>Exported Data</title>

  <meta content="width=device-width, initial-scale=1.0" name="viewport"/>

  <link href="css/style.css" rel="stylesheet"/>

  <script src="js/script.js" type="text/javascript">

  </script>

 </head>

 <body onload="CheckLocation();">

  <div class="page_wrap">

   <div class="page_header">

    <div class="content">

     <div class="text bold">
{chat}
     </div>

    </div>

   </div>

   <div class="page_body chat_page">

    <div class="history">
"""

FOOT = """
    </div>

   </div>

  </div>

 </body>

</html>
"""


def page(chat: str, messages: list[str]) -> str:
    return HEAD.format(chat=escape(chat)) + "".join(messages) + FOOT


def day_line(separator_id: int, text: str) -> str:
    return f"""
     <div class="message service" id="message-{separator_id}">

      <div class="body details">
{escape(text)}
      </div>

     </div>
"""


def service(message_id: int, text: str) -> str:
    return f"""
     <div class="message service" id="message{message_id}">

      <div class="body details">
{escape(text)}
      </div>

     </div>
"""


def text_html(text: str) -> str:
    """Message text as tdesktop writes it: escaped, each line break a `<br>`."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def message(
    message_id: int,
    title: str,
    sender: str | None,
    body_html: str = "",
    *,
    shown_time: str = "21:45",
    inner: str = "",
) -> str:
    """A default message; `sender=None` makes it a joined one (no from_name, no userpic)."""
    joined = sender is None
    name = sender or ""
    userpic = (
        ""
        if joined
        else f"""
      <div class="pull_left userpic_wrap">

       <div class="userpic userpic2" style="width: 42px; height: 42px">

        <div class="initials" style="line-height: 42px">
{escape(name[:1])}
        </div>

       </div>

      </div>
"""
    )
    from_name = (
        ""
        if joined
        else f"""
       <div class="from_name">
{escape(name)}
       </div>
"""
    )
    text_div = (
        f"""
       <div class="text">
{body_html}
       </div>
"""
        if body_html
        else ""
    )
    classes = "message default clearfix joined" if joined else "message default clearfix"
    return f"""
     <div class="{classes}" id="message{message_id}">
{userpic}
      <div class="body">

       <div class="pull_right date details" title="{escape(title)}">
{shown_time}
       </div>
{from_name}{inner}{text_div}
      </div>

     </div>
"""
