// Progressive enhancement only: every page works without this file.
// Adds "copy" buttons to citation boxes. The copied text is also written to the button's
// data-copied attribute, so tests (and curious readers) can see exactly what was copied.
"use strict";

function copyText(text, textarea) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).catch(function () { legacyCopy(textarea); });
  }
  legacyCopy(textarea);
  return Promise.resolve();
}

// Fallback for plain-http pages, where the async clipboard API is unavailable.
function legacyCopy(textarea) {
  textarea.focus();
  textarea.select();
  try { document.execCommand("copy"); } catch (e) { /* selection stays for Ctrl-C */ }
}

function enhanceCiteBox(box) {
  var button = box.querySelector("button.copy");
  var textarea = box.querySelector("textarea.cite-text");
  if (!button || !textarea) { return; }
  var label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", function () {
    var text = textarea.value;
    copyText(text, textarea).then(function () {
      button.setAttribute("data-copied", text);
      button.textContent = button.getAttribute("data-copied-label") || label;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("details.cite").forEach(enhanceCiteBox);
});
