/*
 * Werkstatt – the result editor of the minutes page (progressive enhancement).
 *
 * Without this file every result is a <textarea> with its HTML and a "save" button. With it, the
 * textarea is hidden (it stays the form field) and a contenteditable area with a small toolbar
 * takes its place: paragraph, bullet and numbered lists, bold, italic, link. Every change is copied
 * back into the textarea; htmx saves the form after a pause in typing (hx-trigger on the form) and
 * when the area loses focus. The server cleans the HTML (nh3); this file only keeps the editor small.
 * All visible text comes from data attributes rendered by Django's translation functions.
 * No inline scripts or styles (Content-Security-Policy).
 */
(function () {
  "use strict";

  var SAFE_URL = /^(https?:\/\/|mailto:)\S+$/i;
  var TOGGLES = ["insertUnorderedList", "insertOrderedList", "bold", "italic"];

  function exec(command, value) {
    return document.execCommand(command, false, value === undefined ? null : value);
  }

  /* The HTML that goes into the textarea: the text as written, without the empty paragraphs, empty
     list items and trailing line breaks that contenteditable leaves around the caret. */
  var BLOCKS = /^(P|UL|OL|H3|H4|BLOCKQUOTE)$/;

  /* Lists that the browser put inside a paragraph (<p><ul>…</ul></p>) become siblings of it, with
     the text around them in paragraphs of their own; HTML does not allow a list in a paragraph. */
  function unnest(paragraph) {
    var parts = [];
    var run = null;
    Array.prototype.slice.call(paragraph.childNodes).forEach(function (node) {
      if (node.nodeType === 1 && BLOCKS.test(node.nodeName)) {
        parts.push(node);
        run = null;
      } else {
        if (!run) {
          run = document.createElement("p");
          parts.push(run);
        }
        run.appendChild(node);
      }
    });
    paragraph.replaceWith.apply(paragraph, parts);
  }

  function serialise(area) {
    var copy = area.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("p"), function (paragraph) {
      if (paragraph.querySelector("ul, ol, p, h3, h4, blockquote")) {
        unnest(paragraph);
      }
    });
    Array.prototype.forEach.call(copy.querySelectorAll("br"), function (br) {
      if (!br.nextSibling && br.parentNode !== copy) {
        br.remove();
      }
    });
    Array.prototype.forEach.call(copy.querySelectorAll("p, li, ul, ol, b, i, strong, em"), function (element) {
      if (!element.textContent.trim()) {
        element.remove();
      }
    });
    return copy.textContent.trim() ? copy.innerHTML : "";
  }

  function statusOf(form) {
    return form ? form.querySelector(".editor-status") : null;
  }

  function enhance(textarea) {
    if (textarea.dataset.enhanced) {
      return;
    }
    textarea.dataset.enhanced = "1";
    var form = textarea.form;
    var toolbar = form.querySelector("[data-editor-toolbar]");
    var area = document.createElement("div");
    area.className = "editor-area";
    area.id = textarea.id + "-bearbeiten";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    var label = form.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      area.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function (event) {
        event.preventDefault();
        area.focus();
      });
    }
    if (textarea.getAttribute("aria-describedby")) {
      area.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    area.innerHTML = textarea.value.trim() ? textarea.value : "<p><br></p>";
    textarea.hidden = true;
    textarea.insertAdjacentElement("afterend", area);
    var autosaveHint = form.querySelector("[data-autosave-hint]");
    if (autosaveHint) {
      autosaveHint.hidden = false;
    }

    var dirty = false;
    var savedRange = null;

    function sync() {
      textarea.value = serialise(area);
    }

    function changed() {
      sync();
      dirty = true;
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }

    area.addEventListener("input", function () {
      sync();
      dirty = true;
    });
    area.addEventListener("focus", function () {
      // Paragraphs, not <div>s, and <b>/<i>, not <span style>: what the sanitiser keeps.
      exec("defaultParagraphSeparator", "p");
      exec("styleWithCSS", false);
    });
    area.addEventListener("blur", function () {
      if (dirty) {
        form.dispatchEvent(new Event("werkstatt-save"));
      }
    });
    area.addEventListener("paste", function (event) {
      // Pasted text arrives plain: formatting from word processors would be stripped on saving anyway.
      var text = event.clipboardData && event.clipboardData.getData("text/plain");
      if (text) {
        event.preventDefault();
        exec("insertText", text);
      }
    });
    form.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt === form && event.detail.successful) {
        dirty = false;
      }
    });

    if (!toolbar) {
      return;
    }
    toolbar.hidden = false;
    toolbar.setAttribute("aria-controls", area.id);
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button[data-command]"));

    function updatePressed() {
      buttons.forEach(function (button) {
        var command = button.dataset.command;
        if (TOGGLES.indexOf(command) >= 0) {
          button.setAttribute("aria-pressed", document.queryCommandState(command) ? "true" : "false");
        }
      });
    }

    document.addEventListener("selectionchange", function () {
      var selection = document.getSelection();
      if (selection && selection.rangeCount && area.contains(selection.anchorNode)) {
        savedRange = selection.getRangeAt(0).cloneRange();
        updatePressed();
      }
    });

    function restoreSelection() {
      area.focus();
      if (savedRange) {
        var selection = document.getSelection();
        selection.removeAllRanges();
        selection.addRange(savedRange);
      }
    }

    function addLink() {
      var url = window.prompt(toolbar.dataset.linkPrompt, "https://");
      if (url === null) {
        return;
      }
      url = url.trim();
      if (!SAFE_URL.test(url)) {
        window.alert(toolbar.dataset.linkInvalid);
        return;
      }
      restoreSelection();
      var selection = document.getSelection();
      if (selection.isCollapsed) {
        var link = document.createElement("a");
        link.href = url;
        link.textContent = url;
        var range = selection.getRangeAt(0);
        range.insertNode(link);
        range.setStartAfter(link);
        range.collapse(true);
        selection.removeAllRanges();
        selection.addRange(range);
      } else {
        exec("createLink", url);
      }
    }

    // Mouse clicks keep the caret in the text; keyboard users come back to it after each command.
    toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) {
        event.preventDefault();
      }
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (!button) {
        return;
      }
      event.preventDefault();
      var command = button.dataset.command;
      if (command === "link") {
        addLink();
      } else {
        restoreSelection();
        if (command === "paragraph") {
          exec("formatBlock", "p");
        } else {
          exec(command);
        }
      }
      area.focus();
      updatePressed();
      changed();
    });
    toolbar.addEventListener("keydown", function (event) {
      // Arrow keys move along the toolbar, as in a word processor; Tab still reaches every button.
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
      if (next !== undefined) {
        event.preventDefault();
        buttons[(next + buttons.length) % buttons.length].focus();
      }
    });
  }

  function init(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("textarea[data-editor]"), enhance);
  }

  function formOf(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest("form.result-form") : null;
  }

  function reportFailure(event) {
    var form = formOf(event);
    var status = statusOf(form);
    if (status) {
      status.textContent = form.dataset.errorFailed;
    }
  }

  document.addEventListener("htmx:sendError", reportFailure);
  document.addEventListener("htmx:responseError", reportFailure);
  document.addEventListener("htmx:beforeSwap", function (event) {
    // A save answered by the login page (session expired) must not land in the status line.
    var form = formOf(event);
    var xhr = event.detail.xhr;
    if (form && xhr && xhr.responseURL && xhr.responseURL.indexOf(form.getAttribute("action")) < 0) {
      event.detail.shouldSwap = false;
      statusOf(form).textContent = form.dataset.errorLogin;
    }
  });
  document.addEventListener("htmx:load", function (event) {
    init(event.detail.elt);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
