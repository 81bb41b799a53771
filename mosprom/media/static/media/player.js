/* Online tour page: the «Смотреть здесь» facade and the play count.
 *
 * Without this script the page shows the cover and links to every platform, and nothing is
 * loaded from a third party. With it, «Смотреть здесь» replaces the cover with the player
 * iframe kept in an inert <template> (rendered by the server from a recognised platform and
 * video id, never from typed HTML). The play is posted once per page when the player starts;
 * the server counts it once per visitor and day.
 */
(function () {
  "use strict";

  function countPlay(box) {
    if (box.dataset.counted === "1") return;
    box.dataset.counted = "1";
    var token = box.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(box.dataset.playUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    }).catch(function () {
      box.dataset.counted = "";
    });
  }

  function setUp(box) {
    var start = box.querySelector("[data-player-start]");
    var template = box.querySelector("template[data-player-template]");
    var stage = box.querySelector("[data-player-stage]");
    if (start && template && stage) {
      start.hidden = false;
      start.addEventListener("click", function () {
        var frame = template.content.querySelector("iframe").cloneNode(true);
        stage.replaceChildren(frame);
        stage.classList.add("player-stage-live");
        frame.focus();
        countPlay(box);
      });
    }
    var video = box.querySelector("video");
    if (video) {
      video.addEventListener("play", function () {
        countPlay(box);
      });
    }
  }

  function init() {
    document.querySelectorAll("[data-player]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
