/* The check-in screen: reads ticket QR codes with the phone camera (jsQR, vendored) and sends
   each one through the same form a host types codes into. Without a camera, or without
   JavaScript, the typed-code form works on its own. */
(function () {
  "use strict";

  var root = document.querySelector("[data-checkin]");
  var media = navigator.mediaDevices;
  if (!root || typeof window.jsQR !== "function" || !media || !media.getUserMedia) {
    return;
  }

  var camera = root.querySelector("[data-checkin-camera]");
  var startButton = camera.querySelector("[data-camera-start]");
  var stopButton = camera.querySelector("[data-camera-stop]");
  var statusLine = camera.querySelector("[data-camera-status]");
  var video = camera.querySelector("[data-camera-video]");
  var form = root.querySelector("#checkin-form");
  var input = form.querySelector("input[name=code]");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });

  var SCAN_EVERY_MS = 150; // about 7 frames a second: enough, and kind to a phone's battery
  var SAME_CODE_PAUSE_MS = 4000; // the same QR held up again is not a second entry attempt
  var MAX_SIDE = 640; // decoding a smaller picture is faster and still reads a ticket

  var stream = null;
  var timer = null;
  var lastText = "";
  var lastAt = 0;
  var busy = false;

  function say(text) {
    statusLine.textContent = text;
  }

  function stop() {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.srcObject = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function submit(text) {
    busy = true;
    input.value = text;
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
    }
  }

  function scan() {
    timer = null;
    if (!stream) {
      return;
    }
    if (!busy && video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      var scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      var width = Math.round(video.videoWidth * scale);
      var height = Math.round(video.videoHeight * scale);
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var picture = context.getImageData(0, 0, width, height);
      var code = window.jsQR(picture.data, width, height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (code && code.data && (code.data !== lastText || now - lastAt > SAME_CODE_PAUSE_MS)) {
        lastText = code.data;
        lastAt = now;
        submit(code.data);
      }
    }
    timer = window.setTimeout(scan, SCAN_EVERY_MS);
  }

  function start() {
    say(root.dataset.msgStarting || "");
    media
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        return video.play();
      })
      .then(function () {
        say(root.dataset.msgReady || "");
        scan();
      })
      .catch(function () {
        stop();
        say(root.dataset.msgDenied || "");
      });
  }

  camera.hidden = false;
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", function () {
    stop();
    say("");
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && stream) {
      stop();
    }
  });

  // After each answer: an empty field for the next ticket, and a buzz the host can feel.
  form.addEventListener("htmx:afterRequest", function (event) {
    busy = false;
    if (event.detail.successful) {
      input.value = "";
      var verdict = document.querySelector("#checkin-result [data-kind]");
      if (verdict && navigator.vibrate) {
        navigator.vibrate(verdict.dataset.kind === "valid" ? 80 : [60, 60, 60, 60, 60]);
      }
      if (!stream) {
        input.focus();
      }
    }
  });
})();
