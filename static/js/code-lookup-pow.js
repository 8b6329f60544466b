// Proof of work for the portal's challenge (templates/includes/challenge.html), on the BHXH-code
// lookup and the password reset request: find a counter whose SHA-256 over "token:counter"
// starts with the asked number of zero bits, then drop the arithmetic question. Without
// JavaScript (or Web Crypto) the question stays and the form works the same.
// After a failed check (expired, or sent twice) the page asks its new question with the error
// beside it, and the error summary links there: the question then stays in sight, as without
// JavaScript, and the work done quietly still lets the next post through unanswered.
(function () {
  "use strict";
  var box = document.querySelector("[data-pow-token]");
  if (!box || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var token = box.getAttribute("data-pow-token");
  var bits = parseInt(box.getAttribute("data-pow-bits"), 10);
  var work = document.getElementById(box.getAttribute("data-pow-field"));
  var answer = document.getElementById(box.getAttribute("data-answer-field"));
  var status = box.querySelector("[data-pow-status]");
  var failed = answer && document.getElementById(answer.id + "_error");
  var encoder = new TextEncoder();
  var BATCH = 256;

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i += 1) {
      if (bytes[i] === 0) { count += 8; continue; }
      for (var mask = 0x80; mask && !(bytes[i] & mask); mask >>= 1) { count += 1; }
      return count;
    }
    return count;
  }

  function tryFrom(start) {
    var digests = [];
    for (var i = start; i < start + BATCH; i += 1) {
      digests.push(window.crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + i)));
    }
    return Promise.all(digests).then(function (results) {
      for (var j = 0; j < results.length; j += 1) {
        if (zeroBits(new Uint8Array(results[j])) >= bits) { return start + j; }
      }
      return tryFrom(start + BATCH);
    });
  }

  tryFrom(0).then(function (counter) {
    work.value = String(counter);
    if (failed) { return; }
    box.setAttribute("data-solved", "");
    if (answer) { answer.required = false; answer.value = ""; }
    if (status) { status.textContent = status.getAttribute("data-say-solved"); }
  });
})();
