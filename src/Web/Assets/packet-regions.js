// The packet page's one script: draw the regions to black out on a page's preview with the mouse
// (or a finger). Each rectangle drawn becomes a line "x, y, width, height" (points from the page's
// top-left corner) in the page's regions field, and the page's choice becomes "black out regions".
// The field stays the truth: it can be edited by hand, and the boxes follow it. Nothing is sent
// anywhere by this script; the form posts the fields as it would without it.
"use strict";
(function () {
  function round(v) { return Math.round(v * 10) / 10; }

  function parse(text) {
    var boxes = [];
    text.split("\n").forEach(function (line) {
      var parts = line.split(/[\s,;]+/).filter(function (p) { return p.length > 0; }).map(Number);
      if (parts.length === 4 && parts.every(isFinite) && parts[2] > 0 && parts[3] > 0) {
        boxes.push(parts);
      }
    });
    return boxes;
  }

  function setUp(img) {
    var holder = img.parentElement;
    var fieldset = holder.closest("fieldset");
    var field = document.getElementById(img.dataset.regions);
    var pageWidth = Number(fieldset.dataset.width);
    var pageHeight = Number(fieldset.dataset.height);
    if (!field || !(pageWidth > 0) || !(pageHeight > 0)) {
      return;
    }
    img.draggable = false;

    function scale() { return img.getBoundingClientRect().width / pageWidth; }

    function place(el, x, y, w, h) {
      var s = scale();
      el.style.left = (x * s) + "px";
      el.style.top = (y * s) + "px";
      el.style.width = (w * s) + "px";
      el.style.height = (h * s) + "px";
    }

    function redraw() {
      holder.querySelectorAll(".region:not(.drawing)").forEach(function (el) { el.remove(); });
      parse(field.value).forEach(function (b) {
        var el = document.createElement("div");
        el.className = "region";
        place(el, b[0], b[1], b[2], b[3]);
        holder.appendChild(el);
      });
    }

    function point(event) {
      var r = img.getBoundingClientRect();
      var s = scale();
      return {
        x: Math.min(pageWidth, Math.max(0, (event.clientX - r.left) / s)),
        y: Math.min(pageHeight, Math.max(0, (event.clientY - r.top) / s))
      };
    }

    var start = null;
    var box = null;

    holder.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) {
        return;
      }
      event.preventDefault();
      start = point(event);
      box = document.createElement("div");
      box.className = "region drawing";
      place(box, start.x, start.y, 0, 0);
      holder.appendChild(box);
      holder.setPointerCapture(event.pointerId);
    });

    holder.addEventListener("pointermove", function (event) {
      if (!start) {
        return;
      }
      var p = point(event);
      place(box, Math.min(start.x, p.x), Math.min(start.y, p.y), Math.abs(p.x - start.x), Math.abs(p.y - start.y));
    });

    function finish(event) {
      if (!start) {
        return;
      }
      var p = point(event);
      var x = Math.min(start.x, p.x);
      var y = Math.min(start.y, p.y);
      var w = Math.abs(p.x - start.x);
      var h = Math.abs(p.y - start.y);
      box.remove();
      start = null;
      box = null;
      if (w < 2 || h < 2) {
        return; // a click, not a rectangle
      }
      var line = [round(x), round(y), round(Math.min(w, pageWidth - x)), round(Math.min(h, pageHeight - y))].join(", ");
      field.value = field.value.trim().length > 0 ? field.value.replace(/\s+$/, "") + "\n" + line : line;
      var choice = fieldset.querySelector("input[type=radio][name='" + img.dataset.choice + "'][value=blackout]");
      if (choice) {
        choice.checked = true;
      }
      redraw();
    }

    holder.addEventListener("pointerup", finish);
    holder.addEventListener("pointercancel", function () {
      if (box) {
        box.remove();
      }
      start = null;
      box = null;
    });
    field.addEventListener("input", redraw);
    img.addEventListener("load", redraw);
    window.addEventListener("resize", redraw);
    redraw();
  }

  document.querySelectorAll(".page-preview img[data-regions]").forEach(setUp);
})();
