/* coitool reading view: remembered settings, note markers and back-links, tooltips, current section.
   The page works without it (notes beside the text, settings by CSS); this adds the comfort. */
(function () {
  "use strict";
  var doc = document;
  var KEY = "coitool-view";
  var TIPPED = ".noteref, .tr, .term, .pb";

  // Settings: remembered by this browser for every report.
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { saved = {}; }
  Array.prototype.forEach.call(doc.querySelectorAll(".controls input[type=checkbox]"), function (box) {
    if (typeof saved[box.id] === "boolean") box.checked = saved[box.id];
    box.addEventListener("change", function () {
      saved[box.id] = box.checked;
      try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* private mode */ }
    });
  });

  // Tooltips: the page's own, so that keyboard focus shows them too (title attributes do not).
  Array.prototype.forEach.call(doc.querySelectorAll(".tr[title], .term[title], .pb[title]"), function (el) {
    el.setAttribute("data-tip", el.getAttribute("title"));
    el.removeAttribute("title");
  });
  var tip = doc.getElementById("tip");
  var shownFor = null;
  var hideTimer = 0;

  function byHash(link) {
    var href = link.getAttribute("href") || "";
    return href.charAt(0) === "#" ? doc.getElementById(decodeURIComponent(href.slice(1))) : null;
  }

  function tipContent(el) {
    if (el.classList.contains("noteref")) {
      var note = byHash(el);
      var body = note && note.querySelector(".note-body");
      if (!body) return null;
      var copy = body.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("[id], [tabindex]"), function (n) {
        n.removeAttribute("id");
        n.removeAttribute("tabindex");
      });
      return copy;
    }
    return el.getAttribute("data-tip");
  }

  function show(el) {
    var content = tipContent(el);
    if (!content) { hide(); return; }
    clearTimeout(hideTimer);
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    tip.textContent = "";
    if (typeof content === "string") tip.textContent = content; else tip.appendChild(content);
    shownFor = el;
    el.setAttribute("aria-describedby", "tip");
    tip.style.left = "0px";
    tip.style.top = "0px";
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = Math.max(8, Math.min(r.left, window.innerWidth - w - 8));
    var y = r.bottom + 6;
    if (y + h > window.innerHeight - 8 && r.top - h - 6 > 8) y = r.top - h - 6;
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function hide() {
    clearTimeout(hideTimer);
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
    tip.hidden = true;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  doc.addEventListener("mouseover", function (e) {
    if (tip.contains(e.target)) { clearTimeout(hideTimer); return; }
    var el = e.target.closest ? e.target.closest(TIPPED) : null;
    if (el && el !== shownFor) show(el);
    else if (el) clearTimeout(hideTimer);
    else if (shownFor) hideSoon();
  });
  doc.addEventListener("focusin", function (e) {
    var el = e.target.closest ? e.target.closest(TIPPED) : null;
    if (el) show(el); else if (!tip.contains(e.target)) hide();
  });
  doc.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  window.addEventListener("resize", hide);

  // Notes beside the text: each block of notes at the height of its paragraph, moved down
  // as far as the notes above it reach, so the text runs on without gaps; but never more
  // than MAX_DRIFT of the window's height below it (marker and note stay on one screen):
  // beyond that the paragraph moves down instead. Without this script a grid keeps notes
  // beside their paragraph (with gaps); narrow screens and print put them below it.
  var MAX_DRIFT = 0.5;
  var NOTES_GAP = 10;  // px between two blocks of notes
  var main = doc.querySelector("main");
  var beside = window.matchMedia ? window.matchMedia("(min-width: 66.01rem)") : null;
  var packQueued = false;
  function pack() {
    packQueued = false;
    var units = main.querySelectorAll(".unit.has-notes");
    var on = !!(beside && beside.matches);
    var i;
    for (i = 0; i < units.length; i++) units[i].style.paddingTop = "";
    doc.documentElement.classList.toggle("packed", on);
    if (!on) { main.style.minHeight = ""; return; }
    var origin = main.getBoundingClientRect().top;
    var places = [];
    for (i = 0; i < units.length; i++) {  // read everything first: one layout
      var notes = units[i].lastElementChild;
      places.push([units[i], notes, units[i].getBoundingClientRect().top - origin, notes.offsetHeight]);
    }
    var reach = Math.max(120, window.innerHeight * MAX_DRIFT);
    var floor = 0, shift = 0;
    places.forEach(function (place) {
      var top = place[2] + shift;
      if (floor - top > reach) {
        place[0].style.paddingTop = (floor - top - reach) + "px";
        shift += floor - top - reach;
        top = floor - reach;
      }
      var at = Math.max(top, floor);
      place[1].style.top = at + "px";
      if (place[3]) floor = at + place[3] + NOTES_GAP;
    });
    main.style.minHeight = floor ? floor + "px" : "";
  }
  function queuePack() {
    if (!packQueued) { packQueued = true; window.requestAnimationFrame(pack); }
  }
  pack();
  if (window.ResizeObserver) new ResizeObserver(queuePack).observe(main);
  window.addEventListener("resize", queuePack);
  doc.addEventListener("change", queuePack);
  window.addEventListener("beforeprint", function () {
    doc.documentElement.classList.remove("packed");
    Array.prototype.forEach.call(main.querySelectorAll(".unit.has-notes"), function (u) { u.style.paddingTop = ""; });
  });
  window.addEventListener("afterprint", queuePack);

  // Note markers and back-links: show the note (also when notes are hidden), mark it, move focus.
  function go(target, hash, marker) {
    var current = doc.querySelector(".note.current");
    if (current && current !== target) current.classList.remove("current");
    if (target.classList.contains("note")) {
      target.classList.add("open", "current");
    } else if (marker && marker.classList.contains("note")) {
      marker.classList.remove("open", "current");
    }
    if (location.hash !== hash) {
      try { history.pushState(null, "", hash); } catch (e) { /* some file:// setups */ }
    }
    var showAll = doc.getElementById("opt-notes");
    if (showAll && !showAll.checked) pack();
    var r = target.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  doc.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.noteref, a.backlink") : null;
    if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var target = byHash(link);
    if (!target) return;
    e.preventDefault();
    hide();
    go(target, link.getAttribute("href"), link.closest(".note"));
  });

  function fromLocation() {
    var target = location.hash ? doc.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && target.classList.contains("note")) {
      target.classList.add("open", "current");
      pack();
      target.scrollIntoView({ block: "center" });
    }
  }
  window.addEventListener("popstate", fromLocation);
  fromLocation();

  // Contents: closed on small screens; the section being read is marked.
  var toc = doc.querySelector(".toc details");
  if (toc && window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) toc.open = false;
  var links = {};
  Array.prototype.forEach.call(doc.querySelectorAll(".toc a[href^='#']"), function (a) {
    links[decodeURIComponent(a.getAttribute("href").slice(1))] = a;
  });
  var heads = Array.prototype.filter.call(doc.querySelectorAll("main h2[id], main h3[id], main h4[id], main h5[id], main h6[id]"),
    function (el) { return links[el.id]; });
  var marked = null, queued = false;
  function markCurrent() {
    queued = false;
    var best = null;
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].getBoundingClientRect().top > 90) break;
      best = heads[i];
    }
    var link = best ? links[best.id] : null;
    if (link === marked) return;
    if (marked) marked.removeAttribute("aria-current");
    if (link) link.setAttribute("aria-current", "location");
    marked = link;
  }
  window.addEventListener("scroll", function () {
    if (!queued) { queued = true; window.requestAnimationFrame(markCurrent); }
  }, { passive: true });
  markCurrent();
})();
