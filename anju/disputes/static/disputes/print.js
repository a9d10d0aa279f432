// The print page's "Print" button; without JavaScript the browser's own Print does the same.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
})();
