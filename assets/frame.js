/* The shared frame's behaviour in the browser, on every page (views/frame.py puts it into the page once;
   its texts come from geo/texts through window.atlasFrame.configure):

   - Streamlit's, plotly's and Leaflet's own English words ("Skip to main content", "Upload", "Help for …",
     "No results") in the page's language, in visible text and in accessible names;
   - a popover opened from the keyboard (the "Filter" button) takes the focus to its first field;
   - on a narrow screen an open popover pushes the page below it down instead of covering the map;
   - a site chosen on the map: from the keyboard, the focus moves to its profile; by pointer or touch, a
     profile that opened out of view is pointed to by a button that leads there;
   - a table wider than the page (a phone) is a tab stop, so a keyboard can scroll it.

   Nothing here reads data or the URL; every text it writes comes from the configuration. Streamlit's HTML
   sanitiser drops a script whose text holds "<" directly before a letter or "/": keep a space after "<". */
(function () {
  "use strict";
  if (window.atlasFrame) { return; }

  var NAME_ATTRIBUTES = ["aria-label", "title", "data-title", "placeholder"];
  // text that is content, not Streamlit's own words: left as it is
  // (the atlas's static tables are HTML blocks: .stHtml)
  var CONTENT = "[data-testid='stMarkdownContainer'], .stHtml, " +
                "[data-testid='stDataFrame'], .leaflet-container, section.sa-profile, .sa-compare, .sa-table";
  // the atlas's own components: their words come from geo/texts already, the rest is data; not watched
  var OWN = ".leaflet-container, .sa-table";
  var NARROW = "(max-width: 1100px)";
  var PROFILE = "section.sa-profile";
  var config = {rules: [], cue: ""};
  var lastKey = 0;  // when Enter or Space was last pressed in the page
  var shownProfile = null;
  var cue = null;

  // --- Streamlit's own words in the page's language ------------------------------------------------

  function translated(text) {
    for (var index = 0; index < config.rules.length; index++) {
      var rule = config.rules[index];
      if (rule.pattern.test(text)) { return text.replace(rule.pattern, rule.replacement); }
    }
    return null;
  }

  function translateTextNode(node) {
    var text = node.nodeValue.trim();
    var parent = node.parentElement;
    // a button's label is Markdown too, but a button of Streamlit's own (the uploader's) speaks English
    if (!text || !parent || parent.closest(CONTENT) && !parent.closest("button")) { return; }
    var german = translated(text);
    if (german !== null && german !== text) { node.nodeValue = node.nodeValue.replace(text, german); }
  }

  function translateNames(element) {
    if (element.closest(OWN)) { return; }
    NAME_ATTRIBUTES.forEach(function (attribute) {
      var value = element.getAttribute(attribute);
      var german = value && translated(value.trim());
      if (german && german !== value) { element.setAttribute(attribute, german); }
    });
  }

  function translateTree(root) {
    if (!config.rules.length || !root) { return; }
    if (root.nodeType === Node.TEXT_NODE) { translateTextNode(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE || root.closest(OWN)) { return; }
    translateNames(root);
    root.querySelectorAll("[aria-label], [title], [data-title], [placeholder]").forEach(translateNames);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) { translateTextNode(node); }
  }

  // --- what a keyboard opened takes the focus; an open popover beside, not over, the map -----------

  var FIELDS = "input:not([type=hidden]):not([disabled]), [role=combobox], button:not([disabled]), [tabindex='0']";

  /* The first field of the first element that has one, once the elements before it have their code: an
     element whose code is still on its way (Streamlit's stand-in) may be that field (the filter panel's
     states arrive after its program buttons, whose code the page already has). */
  function firstField(container) {
    var elements = container.querySelectorAll("[data-testid='stElementContainer']");
    for (var i = 0; i < elements.length; i++) {
      if (elements[i].querySelector(":scope > [data-testid='stSkeleton']")) { return null; }
      var field = elements[i].querySelector(FIELDS);
      if (field) { return field; }
    }
    return elements.length ? null : container.querySelector(FIELDS);
  }

  /* A popover's button says it opened: its body (in Streamlit's overlay portal) is drawn in the next frames,
     and its fields once Streamlit has loaded their code (the first time, a moment later). */
  function expandedChanged(button) {
    if (!button.matches("[data-testid='stPopoverButton']") || button.getAttribute("aria-expanded") !== "true") {
      return;
    }
    var byKeyboard = Date.now() - lastKey < 2000;
    var started = Date.now();
    var roomMade = false;
    (function look() {
      var body = document.querySelector("[data-testid='stPopoverBody']");
      var field = body && firstField(body);
      if (body && !roomMade && body.getBoundingClientRect().height > 0) { makeRoomFor(button, body); roomMade = true; }
      if (field && byKeyboard && button.getAttribute("aria-expanded") === "true") { field.focus(); return; }
      if ((!field || !roomMade) && Date.now() - started < 4000) { requestAnimationFrame(look); }
    })();
  }

  function makeRoomFor(button, body) {
    var holder = button && button.closest("[data-testid='stElementContainer'], [data-testid='stPopover']");
    if (!holder || !window.matchMedia(NARROW).matches) { return; }
    var resize = function () {
      if (!body.isConnected || button.getAttribute("aria-expanded") !== "true") {
        holder.style.marginBottom = "";
        observer.disconnect();
        return;
      }
      holder.style.marginBottom = Math.ceil(body.getBoundingClientRect().height + 8) + "px";
    };
    var observer = new ResizeObserver(resize);
    observer.observe(body);
    new MutationObserver(function (changes, self) {
      if (button.getAttribute("aria-expanded") !== "true") { resize(); self.disconnect(); }
    }).observe(button, {attributes: true, attributeFilter: ["aria-expanded"]});
    resize();
  }

  // --- a site chosen on the map: its profile takes the focus, or a cue leads there ------------------

  function deepActiveElement() {
    var element = document.activeElement;
    while (element && element.tagName === "IFRAME") {
      try { element = element.contentDocument.activeElement; } catch (error) { return null; }
    }
    return element;
  }

  /* Where the choice came from if it was made on a map: the focused marker or cluster (a keyboard), or the
     map's frame or container after a pointer or a finger; null for anything else (a link, a search). */
  function mapOrigin() {
    var deep = deepActiveElement();
    if (!deep || !deep.closest) { return null; }
    if (deep.closest(".leaflet-container")) { return deep; }
    var inFrame = document.activeElement.tagName === "IFRAME" && deep === deep.ownerDocument.body;
    return inFrame ? deep : null;
  }

  function profileOpened(profile) {
    var name = profile.getAttribute("aria-label");
    if (name === shownProfile) { return; }
    shownProfile = name;
    var origin = mapOrigin();
    var heading = profile.querySelector("h2, h3");
    if (!origin || !heading) { return; }
    if (origin.matches(":focus-visible")) {  // the keyboard chose it
      heading.setAttribute("tabindex", "-1");
      heading.focus();
      return;
    }
    var box = heading.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 40) { showCue(heading); }
  }

  function showCue(heading) {
    hideCue();
    cue = document.createElement("button");
    cue.type = "button";
    cue.className = "sa-profile-cue";
    cue.textContent = "↓ " + config.cue.replace("{name}", heading.textContent);
    cue.addEventListener("click", function () {
      heading.setAttribute("tabindex", "-1");
      heading.scrollIntoView({block: "start", behavior: "smooth"});
      heading.focus({preventScroll: true});
      hideCue();
    });
    document.body.appendChild(cue);
    new IntersectionObserver(function (entries, self) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { hideCue(); self.disconnect(); }
    }).observe(heading);
  }

  function hideCue() {
    if (cue) { cue.remove(); cue = null; }
  }

  // --- a table wider than the page is a tab stop, so a keyboard can scroll it sideways -----------------

  // the box of an atlas table (geo/core/html_table.py); a box with a height is a tab stop from the start
  var SCROLLER = ".sa-table-box";
  var scrollerObserver = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var box = entry.target.matches(SCROLLER) ? entry.target : entry.target.parentElement;
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
    });
  });

  function watchScrollers(root) {
    var boxes = root.matches(SCROLLER) ? [root] : Array.prototype.slice.call(root.querySelectorAll(SCROLLER));
    boxes.forEach(function (box) {
      scrollerObserver.observe(box);
      if (box.firstElementChild) { scrollerObserver.observe(box.firstElementChild); }
    });
  }

  // Streamlit's file drop zone is named and focusable, yet says it is only presentation: it keeps its name
  var DROPZONE = "[data-testid='stFileUploaderDropzone'][role='presentation']";

  function namedDropzones(root) {
    var zones = root.matches(DROPZONE) ? [root] : Array.prototype.slice.call(root.querySelectorAll(DROPZONE));
    zones.forEach(function (zone) { zone.removeAttribute("role"); });
  }

  // --- watching the page ------------------------------------------------------------------------------

  function added(node) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (element && element.closest(".sa-table")) { return; }  // the sites table's rows: nothing to do
    translateTree(node);
    if (node.nodeType !== Node.ELEMENT_NODE) { return; }
    var profile = node.matches(PROFILE) ? node : node.querySelector(PROFILE);
    if (profile) { profileOpened(profile); }
    watchScrollers(node);
    namedDropzones(node);
  }

  document.addEventListener("keydown", function (event) {
    if (/^(Enter| |Spacebar)$/.test(event.key)) { lastKey = Date.now(); }
  }, true);

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "childList") { change.addedNodes.forEach(added); }
      else if (change.type === "characterData") { translateTextNode(change.target); }
      else if (change.attributeName === "aria-expanded") { expandedChanged(change.target); }
      else { translateNames(change.target); }
    });
  }).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                             attributeFilter: NAME_ATTRIBUTES.concat(["aria-expanded"])});

  window.atlasFrame = {
    /* `rules`: [[pattern, replacement], …] (JavaScript regular expressions, $1, $2 … in the replacement)
       that turn Streamlit's English into the page's language; `cue`: "Profil von {name} ansehen". */
    configure: function (settings) {
      config = {
        rules: settings.rules.map(function (rule) { return {pattern: new RegExp(rule[0]), replacement: rule[1]}; }),
        cue: settings.cue
      };
      translateTree(document.body);
      watchScrollers(document.body);
      namedDropzones(document.body);
      var profile = document.querySelector(PROFILE);
      if (profile && shownProfile === null) { shownProfile = profile.getAttribute("aria-label"); }
    }
  };
})();
