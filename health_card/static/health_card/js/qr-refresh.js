/* The on-screen BHYT QR is signed for 10 minutes and the server makes a new one every 5: while the
   page is open, ask for the image again every data-qr-refresh seconds (the server answers with the
   current window's QR). Without JavaScript the page offers a reload link instead. */
(function () {
  "use strict";
  var image = document.querySelector("[data-qr-refresh]");
  if (!image) { return; }
  var seconds = Math.max(Number(image.getAttribute("data-qr-refresh")) || 60, 15);
  var base = image.getAttribute("src").split("?")[0];
  var auto = document.querySelector("[data-qr-auto]");
  var manual = document.querySelector("[data-qr-manual]");
  if (auto) { auto.hidden = false; }
  if (manual) { manual.hidden = true; }
  window.setInterval(function () {
    if (document.hidden) { return; }
    var next = new window.Image();
    next.onload = function () { image.src = next.src; };
    next.src = base + "?t=" + Date.now();
  }, seconds * 1000);
}());
