// The search page: finds the words of the query (accents and case ignored) in the
// entries of search-index.js, which sets window.QUIRE_SEARCH. No server, no framework.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var entries = window.QUIRE_SEARCH || [];
  function fold(text) {
    return text.normalize("NFD").replace(/[\p{M}\u00ad]/gu, "").toLowerCase();
  }
  function show(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (words.length === 0) {
      status.textContent = "";
      return;
    }
    var hits = entries.filter(function (e) {
      return words.every(function (w) { return e.x.indexOf(w) >= 0; });
    });
    hits.slice(0, 200).forEach(function (e) {
      var item = document.createElement("li");
      var title = document.createElement("p");
      title.className = "title";
      var link = document.createElement("a");
      link.href = e.u;
      link.textContent = e.t;
      if (e.l) { title.lang = e.l; }
      title.appendChild(link);
      var about = document.createElement("p");
      about.className = "where";
      about.textContent = e.s;
      item.appendChild(title);
      item.appendChild(about);
      list.appendChild(item);
    });
    status.textContent = hits.length + (hits.length === 1 ? " result" : " results") +
      " for \u201c" + query.trim() + "\u201d";
  }
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  show(query);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    try {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    } catch (e) {
      // Pages opened from files may not change their address; the results still show.
    }
    show(input.value);
  });
  input.addEventListener("input", function () { show(input.value); });
})();
