// The trainer's page: the teams and the summary update as answers arrive (server-sent events).
// Without script the page still works; its Refresh link reloads it.
"use strict";
(function () {
  var panel = document.getElementById("panel");
  if (!panel || !window.EventSource) return;
  document.documentElement.classList.add("live");
  var source = new EventSource(panel.dataset.events);
  source.addEventListener("panel", function (event) {
    panel.innerHTML = event.data;
  });
})();
