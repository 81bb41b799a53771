/* The press-release page: the copy button copies the plain text (no CDN, no library).
   Without JavaScript the button's box stays hidden and the text can be copied from the field. */
(function () {
  "use strict";

  function fallbackCopy(field) {
    var box = document.getElementById("press-plain-box");
    if (box) { box.open = true; }
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function setUp() {
    var button = document.getElementById("press-copy");
    if (!button) { return; }
    var field = document.getElementById(button.dataset.source);
    var status = document.getElementById(button.dataset.status);
    var box = document.getElementById(button.dataset.box);
    if (!field || !status || !box) { return; }
    box.hidden = false;

    function report(ok) {
      // Clear first so that a second copy is announced again.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = ok ? button.dataset.done : button.dataset.failed;
      }, 50);
    }

    button.addEventListener("click", function () {
      var text = field.value;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { report(true); },
          function () { report(fallbackCopy(field)); }
        );
      } else {
        report(fallbackCopy(field));
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
