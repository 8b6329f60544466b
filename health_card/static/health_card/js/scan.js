/* Camera scanning on the clinic verify page, with the jsQR decoder served by the portal
   (vendor/jsqr, Apache-2.0). A decoded QR fills the scan field and posts the form, exactly as a
   handheld scanner does. Without a camera, camera permission or JavaScript the field and the
   scanner still work; the camera button only appears where it can be used. The status messages
   come translated from the page (data-say-* attributes of the status line), so the script holds
   no text of its own. A scan typed while the verdict of the last check has the focus goes to the
   scan field. */
(function () {
  "use strict";
  var box = document.querySelector("[data-camera]");
  var form = document.getElementById("form-quet");
  var field = form && form.querySelector("input[name=ma_qr]");
  var verdict = document.getElementById("ket-qua");
  // After a check the verdict has the focus, for a screen reader to read it first. The next card's
  // scan (a handheld scanner types it) still lands in the scan field: its first key moves the focus
  // there before the character is typed.
  if (verdict && field) {
    verdict.addEventListener("keydown", function (event) {
      if (event.key.length === 1 && event.key !== " " && !event.ctrlKey && !event.metaKey && !event.altKey) {
        field.focus();
      }
    });
  }
  if (!box || !field || !window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  var start = box.querySelector("[data-camera-start]");
  var stop = box.querySelector("[data-camera-stop]");
  var video = box.querySelector("[data-camera-video]");
  var status = box.querySelector("[data-camera-status]");
  function say(message) { status.textContent = status.getAttribute("data-say-" + message) || ""; }
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  box.hidden = false;

  // Focus follows the button that takes the other's place, so a keyboard user is not left on a hidden one.
  function finish() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    var focused = document.activeElement === stop;
    start.hidden = false; video.hidden = true; stop.hidden = true;
    if (focused) { start.focus(); }
  }

  function text(code) {
    if (code.binaryData && window.TextDecoder) {
      try { return new window.TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(code.binaryData)); }
      catch (error) { return code.data; }
    }
    return code.data;
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var frame = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) {
        field.value = text(code);
        say("read");
        finish();
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(tick);
  }

  start.addEventListener("click", function () {
    say("opening");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        var focused = document.activeElement === start;
        video.hidden = false; stop.hidden = false; start.hidden = true;
        if (focused) { stop.focus(); }
        say("aim");
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(tick); })
      .catch(function () {
        finish();
        say("failed");
      });
  });
  stop.addEventListener("click", function () { finish(); say("stopped"); });
}());
