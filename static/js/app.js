// Site-wide behaviour: htmx sends the CSRF token with every request it makes.
(function () {
  "use strict";
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) event.detail.headers["X-CSRFToken"] = token.getAttribute("content");
  });
})();
