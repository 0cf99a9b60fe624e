/* The sites page's table (views/site_table.py hands this module to Streamlit as a component, API v2;
 * docs/site-table.md). A plain HTML table: a heading's button sorts (numbers by value, texts in the page's
 * language, blanks last; a second click reverses), one page of rows is drawn at a time, a click on a row or
 * on a site's name sends the site's id to the server, which opens its profile and sends the chosen id back
 * to be marked.
 *
 * Streamlit calls the module again with new data on every rerun, with the same parent element: the table
 * is kept per parent (a WeakMap), so sorting, page and keyboard focus survive a rerun; the rows are drawn
 * anew only when they changed (their digest), and the server sends them only when this page does not have
 * them yet (see withRows). Every text comes from data (names, figures from partners):
 * it is set as textContent, never as markup. */

const tables = new WeakMap();
const LONG_TEXT = 28;  // characters: a longer cell is cut with an ellipsis and keeps its text as a tooltip
let instances = 0;
// The rows the server sent, by their digest: it sends them once per session and digest (with 10,000 sites
// they are megabytes), then `rows: null`. Kept beyond one table, since the page's table is a new one when
// the visitor comes back to the page; a few digests at most (other filters, the other language).
const sentRows = new Map();
const KEPT_DIGESTS = 4;

/* The data with its rows: those sent now, or those sent before with the same digest; null when this page
 * never had them (the server then sends them again when asked: the trigger "missing"). */
function withRows(data) {
  if (data.rows) {
    sentRows.delete(data.digest);
    sentRows.set(data.digest, data.rows);
    while (sentRows.size > KEPT_DIGESTS) { sentRows.delete(sentRows.keys().next().value); }
    return data;
  }
  const rows = sentRows.get(data.digest);
  return rows ? {...data, rows} : null;
}

export default function (component) {
  const parent = component.parentElement;
  let table = tables.get(parent);
  if (!table) {
    table = createTable(parent);
    tables.set(parent, table);
  }
  table.component = component;
  const data = withRows(component.data);
  if (data) {
    table.render(data);
  } else {
    component.setTriggerValue("missing", component.data.digest);
  }
  return () => {
    setTimeout(() => {  // a rerun calls the module again on the same parent: forget it only once it is gone
      if (!parent.isConnected && tables.get(parent) === table) { tables.delete(parent); }
    }, 0);
  };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

function createTable(parent) {
  const id = `sa-table-${++instances}`;
  const root = element("div", "sa-table");
  const box = element("div", "sa-table-box");
  const table = element("table");
  const caption = element("caption", "sa-sr");
  const hint = element("span");
  hint.id = `${id}-hint`;
  const head = element("thead");
  const headRow = element("tr");
  const body = element("tbody");
  head.appendChild(headRow);
  table.append(caption, head, body);
  table.setAttribute("aria-describedby", hint.id);
  const hintHolder = element("p", "sa-sr");
  hintHolder.appendChild(hint);
  box.appendChild(table);
  const pager = element("nav", "sa-table-pager");
  const previous = element("button", "sa-table-page");
  const next = element("button", "sa-table-page");
  const range = element("span", "sa-table-range");
  previous.type = next.type = "button";
  previous.dataset.step = "-1";
  next.dataset.step = "1";
  range.setAttribute("aria-live", "polite");
  pager.append(previous, range, next);
  root.append(hintHolder, box, pager);
  parent.appendChild(root);

  const state = {
    data: null, digest: null, headings: "", order: [], sort: null, page: 0, selected: undefined,
    collator: null, ascending: new Map(), lines: new Map(), template: null, numbers: []
  };
  const self = {component: null};

  function pageCount() { return Math.max(1, Math.ceil(state.order.length / state.data.page_rows)); }

  /* Row indexes in ascending order of column `column`, blanks apart: {filled, blanks}; kept per column. */
  function ascending(column) {
    if (state.ascending.has(column)) { return state.ascending.get(column); }
    const rows = state.data.rows, number = state.data.columns[column].kind === "number";
    const filled = [], blanks = [];
    rows.forEach((row, index) => {
      const cell = row.cells[column];
      const key = number ? cell[1] : cell;
      (key === null || key === "" ? blanks : filled).push(index);
    });
    if (number) {
      filled.sort((a, b) => rows[a].cells[column][1] - rows[b].cells[column][1]);
    } else {
      const compare = state.collator.compare;
      filled.sort((a, b) => compare(rows[a].cells[column], rows[b].cells[column]));
    }
    const order = {filled, blanks};
    state.ascending.set(column, order);
    return order;
  }

  function sortedOrder() {
    if (!state.sort) { return state.data.rows.map((_, index) => index); }
    const {filled, blanks} = ascending(state.sort.column);
    return (state.sort.descending ? filled.slice().reverse() : filled).concat(blanks);  // blanks always last
  }

  function buildHeader() {
    const cells = state.data.columns.map((column, index) => {
      const cell = element("th", column.kind === "number" ? "sa-num" : "");
      cell.scope = "col";
      const button = element("button", "sa-table-sort");
      button.type = "button";
      button.dataset.column = String(index);
      button.appendChild(element("span", "sa-table-heading", column.heading));
      button.appendChild(element("span", "sa-table-arrow")).setAttribute("aria-hidden", "true");
      if (column.heading.length > LONG_TEXT) { button.title = column.heading; }
      cell.appendChild(button);
      return cell;
    });
    headRow.replaceChildren(...cells);
  }

  function markSort() {
    headRow.querySelectorAll("th").forEach((cell, index) => {
      if (state.sort && state.sort.column === index) {
        cell.setAttribute("aria-sort", state.sort.descending ? "descending" : "ascending");
      } else {
        cell.removeAttribute("aria-sort");
      }
    });
  }

  /* Row `index` of the data as a table row, made once per data (a sort or a page only moves rows): a copy
   * of an empty row of the right cells, whose texts are then set. */
  function rowElement(index) {
    let line = state.lines.get(index);
    if (line) { return line; }
    if (!state.template) {
      state.template = element("tr");
      state.data.columns.forEach((column, position) => {
        if (position === 0) {  // the site's name: a row heading, and the keyboard's way to choose the site
          const heading = state.template.appendChild(element("th", "sa-table-name"));
          heading.scope = "row";
          heading.appendChild(element("button")).type = "button";
        } else {
          state.template.appendChild(element("td", column.kind === "number" ? "sa-num" : ""));
        }
      });
    }
    const row = state.data.rows[index];
    line = state.template.cloneNode(true);
    line.dataset.site = row.site_id;
    const numbers = state.numbers;
    row.cells.forEach((cell, position) => {
      const text = numbers[position] ? cell[0] : cell;
      if (!text) { return; }
      const target = position === 0 ? line.cells[0].firstChild : line.cells[position];
      if (text.length > LONG_TEXT && position > 0) {
        target.appendChild(element("span", "sa-table-clip", text)).title = text;
      } else {
        target.textContent = text;
        if (text.length > LONG_TEXT) { target.title = text; }
      }
    });
    state.lines.set(index, line);
    return line;
  }

  function drawBody() {
    const start = state.page * state.data.page_rows;
    body.replaceChildren(...state.order.slice(start, start + state.data.page_rows).map(rowElement));
    markSelected();
    const pages = pageCount();
    pager.hidden = pages < 2;
    range.textContent = state.data.ranges[state.page] || "";
    previous.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }

  function markSelected() {
    for (const line of body.rows) {
      const chosen = line.dataset.site === state.selected;
      line.classList.toggle("sa-table-selected", chosen);
      for (const node of [line, line.querySelector("button")]) {
        if (chosen) { node.setAttribute("aria-current", "true"); } else { node.removeAttribute("aria-current"); }
      }
    }
  }

  /* Turn to the page that holds site `siteId` (in the current order) and scroll its row into the box. */
  function reveal(siteId) {
    const index = state.data.rows.findIndex((row) => row.site_id === siteId);
    const position = index < 0 ? -1 : state.order.indexOf(index);
    if (position < 0) { return false; }
    state.page = Math.floor(position / state.data.page_rows);
    drawBody();
    const line = [...body.rows].find((row) => row.dataset.site === siteId);
    if (line) {
      const top = line.offsetTop - head.offsetHeight;
      if (top < box.scrollTop || line.offsetTop + line.offsetHeight > box.scrollTop + box.clientHeight) {
        box.scrollTop = Math.max(0, top);
      }
    }
    return true;
  }

  head.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-column]");
    if (!button) { return; }
    const column = Number(button.dataset.column);
    const descending = Boolean(state.sort && state.sort.column === column && !state.sort.descending);
    state.sort = {column, descending};
    state.order = sortedOrder();
    state.page = 0;
    box.scrollTop = 0;
    markSort();
    drawBody();
  });

  body.addEventListener("click", (event) => {
    const line = event.target.closest("tr");
    if (!line || !line.dataset.site) { return; }
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && !event.target.closest("button")) { return; }  // copying text
    state.selected = line.dataset.site;  // marked at once; the server's answer confirms it
    markSelected();
    self.component.setTriggerValue("select", line.dataset.site);
  });

  pager.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-step]");
    if (!button || button.disabled) { return; }
    state.page = Math.min(pageCount() - 1, Math.max(0, state.page + Number(button.dataset.step)));
    box.scrollTop = 0;
    drawBody();
  });

  self.render = function (data) {
    const texts = data.texts;
    caption.textContent = texts.label;
    hint.textContent = texts.hint;
    pager.setAttribute("aria-label", texts.pages);
    previous.textContent = `‹ ${texts.previous}`;
    next.textContent = `${texts.next} ›`;
    root.style.height = `${data.height}px`;
    box.style.maxHeight = `${data.box_height}px`;
    if (data.digest !== state.digest) {
      const headings = JSON.stringify(data.columns);
      state.data = data;
      state.digest = data.digest;
      state.ascending = new Map();
      state.lines = new Map();
      state.template = null;
      state.numbers = data.columns.map((column) => column.kind === "number");
      state.collator = new Intl.Collator(data.lang, {numeric: true, sensitivity: "base"});
      if (headings !== state.headings) {  // other columns (another language): unsorted, as the server sent them
        state.headings = headings;
        state.sort = null;
        buildHeader();
      }
      markSort();
      state.order = sortedOrder();
      state.page = 0;
      state.selected = data.selected;
      box.scrollTop = 0;
      if (!reveal(data.selected)) { drawBody(); }
    } else if (data.selected !== state.selected) {
      state.selected = data.selected;
      if (!reveal(data.selected)) { markSelected(); }
    }
  };
  return self;
}
