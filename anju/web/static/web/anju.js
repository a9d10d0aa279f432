// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions: any form or button with data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
  // Send the form as soon as a choice is made: [data-submit-on-change] (the language menu; its
  // button is shown only without JavaScript).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.submit();
    }
  });
})();
