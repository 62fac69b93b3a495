/*
 * Digitale Werkplaats – helpdesk dashboard: live updates zonder herladen.
 * Vanilla JavaScript, geen framework. Vraagt elke paar seconden kleine JSON-overzichten op
 * (/dashboard/api/...) en werkt de pagina bij. Tekst komt alleen via textContent in de pagina.
 */
(function () {
  'use strict';

  var FAST_MS = 3000;
  var BADGE_MS = 6000;
  var MAX_BACKOFF_MS = 30000;
  var page = document.body.getAttribute('data-page') || '';
  var baseTitle = document.title;

  // ------------------------------------------------------------------ hulpjes
  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 401) {
          window.location.href = '/dashboard/login?next=' + encodeURIComponent(window.location.pathname);
          throw new Error('niet ingelogd');
        }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      });
  }

  // Roep fn (geeft een Promise) steeds opnieuw aan; pauzeer als het tabblad verborgen is,
  // wacht langer na fouten.
  function every(ms, fn, now) {
    var timer = null;
    var delay = ms;
    var running = false;
    function run() {
      timer = null;
      if (document.visibilityState === 'hidden') return;
      running = true;
      fn().then(function () { delay = ms; }, function () { delay = Math.min(delay * 2, MAX_BACKOFF_MS); })
        .then(function () { running = false; schedule(); });
    }
    function schedule() { if (!timer && !running) timer = setTimeout(run, delay); }
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && !running) {
        if (timer) clearTimeout(timer);
        timer = null;
        run();
      }
    });
    if (now) run();
    else schedule();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function announce(text) {
    var live = document.getElementById('live-announcer');
    if (!live) return;
    live.textContent = '';
    setTimeout(function () { live.textContent = text; }, 50);
  }

  function waitingText(seconds) {
    var minutes = Math.floor(Math.max(0, seconds) / 60);
    if (minutes < 1) return 'net binnen';
    if (minutes < 60) return minutes + ' min';
    var rest = minutes % 60;
    return Math.floor(minutes / 60) + ' u ' + (rest < 10 ? '0' : '') + rest + ' min';
  }

  // ------------------------------------------------------------------ wachttijden tikken door
  var loadedAt = Date.now();
  function tick() {
    var extra = (Date.now() - loadedAt) / 1000;
    Array.prototype.forEach.call(document.querySelectorAll('.wait[data-seconds]'), function (w) {
      w.textContent = waitingText(Number(w.getAttribute('data-seconds')) + extra);
    });
  }
  setInterval(tick, 15000);

  // ------------------------------------------------------------------ aantal wachtenden in het menu
  function updateBadge(data) {
    var n = (data.waiting || []).length;
    var badge = document.getElementById('nav-waiting');
    if (badge) {
      badge.textContent = String(n);
      badge.hidden = n === 0;
    }
    document.title = (n ? '(' + n + ') ' : '') + baseTitle;
  }

  // ------------------------------------------------------------------ wachtrij
  var known = null; // ids die al in de wachtrij stonden

  function queueRow(r, claimed) {
    var wait = el('span', { className: 'wait', 'data-seconds': String(r.waiting_seconds), text: waitingText(r.waiting_seconds) });
    var first = [wait];
    if (r.callback && !claimed) first.push(' ', el('span', { className: 'pill pill--warn', text: 'terugbellen' }));
    var summary = [r.summary || '–'];
    if (r.reason && !claimed) summary.push(el('span', { className: 'muted small reason', text: ' (' + r.reason + ')' }));
    // één kind per cel: in de smalle weergave is een cel een raster van label + inhoud
    var cells = [
      el('td', { 'data-label': claimed ? 'Sinds verzoek' : 'Wachttijd' }, [el('span', {}, first)]),
      el('td', { 'data-label': 'Kanaal', text: r.channel }),
      el('td', { 'data-label': 'Thema', text: r.theme }),
      el('td', { 'data-label': 'Samenvatting', className: 'summary' }, [el('span', {}, summary)])
    ];
    if (claimed) cells.push(el('td', { 'data-label': 'Medewerker', text: r.assigned_to || '' }));
    cells.push(el('td', { className: 'actions' }, [
      el('a', { className: 'btn btn--small' + (claimed ? '' : ' btn--primary'), href: r.url }, [
        'Openen', el('span', { className: 'sr-only', text: ' gesprek via ' + r.channel })
      ])
    ]));
    return el('tr', { 'data-id': r.conversation_id }, cells);
  }

  function renderTable(name, rows, claimed) {
    var tbody = document.getElementById(name + '-rows');
    if (!tbody) return;
    var focusedId = document.activeElement && tbody.contains(document.activeElement)
      ? document.activeElement.closest('tr').getAttribute('data-id') : null;
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    rows.forEach(function (r) {
      var tr = queueRow(r, claimed);
      if (known && !known[r.conversation_id]) tr.className = 'is-new';
      tbody.appendChild(tr);
      if (focusedId === r.conversation_id) tr.querySelector('a').focus();
    });
    document.getElementById(name + '-count').textContent = String(rows.length);
    document.getElementById(name + '-table').hidden = rows.length === 0;
    document.getElementById(name + '-empty').hidden = rows.length !== 0;
  }

  function renderHelpdesk(h) {
    var state = document.getElementById('helpdesk-state');
    if (!state || !h) return;
    state.textContent = h.open ? 'open' : 'gesloten';
    state.className = 'pill ' + (h.open ? 'pill--open' : 'pill--closed');
    var later = !h.open && h.next_opening ? h.next_opening : '';
    var explain = h.override === 'auto'
      ? 'Volgens de openingstijden' + (later ? ', weer open ' + later : '') + '.'
      : 'Handmatig ' + (h.override === 'open' ? 'geopend' : 'gesloten') + ' door een coördinator.'
        + (later ? ' Volgens de openingstijden weer open ' + later + '.' : '');
    document.getElementById('helpdesk-explain').textContent = explain;
    Array.prototype.forEach.call(document.querySelectorAll('.switch__btn'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-stand') === h.override ? 'true' : 'false');
    });
  }

  function applyQueue(data) {
    updateBadge(data);
    if (page !== 'queue' || !document.getElementById('waiting-rows')) return;
    var all = (data.waiting || []).concat(data.claimed || []);
    var fresh = known ? (data.waiting || []).filter(function (r) { return !known[r.conversation_id]; }) : [];
    renderTable('waiting', data.waiting || [], false);
    renderTable('claimed', data.claimed || [], true);
    renderHelpdesk(data.helpdesk);
    loadedAt = Date.now();
    known = {};
    all.forEach(function (r) { known[r.conversation_id] = true; });
    if (fresh.length) announce(fresh.length === 1 ? 'Nieuw gesprek in de wachtrij.' : fresh.length + ' nieuwe gesprekken in de wachtrij.');
  }

  if (page === 'queue' && document.getElementById('waiting-rows')) {
    known = {};
    Array.prototype.forEach.call(document.querySelectorAll('#waiting-rows tr, #claimed-rows tr'), function (tr) {
      known[tr.getAttribute('data-id')] = true;
    });
  }
  if (document.getElementById('nav-waiting')) {
    every(page === 'queue' ? FAST_MS : BADGE_MS, function () {
      return getJSON('/dashboard/api/queue').then(applyQueue);
    }, page !== 'queue'); // de wachtrij zelf staat al op de pagina
  }

  // ------------------------------------------------------------------ gesprek
  var conv = document.getElementById('conversation');
  if (conv) {
    var cid = conv.getAttribute('data-id');
    var count = Number(conv.getAttribute('data-count')) || 0;
    var transcript = document.getElementById('transcript');
    var ticketShown = false;

    var scrollDown = function () { transcript.scrollTop = transcript.scrollHeight; };
    scrollDown();
    window.addEventListener('load', scrollDown);

    var addMessage = function (m) {
      transcript.appendChild(el('li', { className: 'msg msg--' + m.from }, [
        el('span', { className: 'msg__who', text: m.who }),
        el('time', { className: 'msg__at', title: m.at_full, text: m.at }),
        el('p', { className: 'msg__text', text: m.text })
      ]));
    };

    var applyConversation = function (data) {
      var nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
      (data.messages || []).forEach(addMessage);
      count = data.message_count;
      if ((data.messages || []).length && nearBottom) scrollDown();
      var pill = document.getElementById('conv-state');
      if (pill.getAttribute('data-state') !== data.state) {
        pill.setAttribute('data-state', data.state);
        pill.textContent = data.state_label;
        conv.setAttribute('data-state', data.state);
        announce('Status van het gesprek: ' + data.state_label);
      }
      var assigned = document.getElementById('conv-assigned');
      document.getElementById('conv-assigned-name').textContent = data.assigned_to || '';
      assigned.hidden = !(data.assigned_to && data.state === 'human');
      var actions = data.actions || {};
      ['claim', 'reply', 'release', 'close'].forEach(function (name) {
        var node = conv.querySelector('[data-action="' + name + '"]');
        if (node) node.hidden = !actions[name];
      });
      var none = conv.querySelector('[data-action="none"]');
      if (none) none.hidden = !!(actions.claim || actions.release || actions.close);
      var notMine = conv.querySelector('[data-action="not-mine"]');
      if (notMine) notMine.hidden = !!actions.reply || data.state !== 'human';
      var created = document.getElementById('ticket-created');
      if (created && data.ticket_reference && !ticketShown) {
        var link = document.getElementById('ticket-created-link');
        link.textContent = data.ticket_reference;
        link.href = '/dashboard/tickets/' + encodeURIComponent(data.ticket_reference);
        created.hidden = false;
        ticketShown = true;
      }
    };

    every(FAST_MS, function () {
      return getJSON('/dashboard/api/conversations/' + encodeURIComponent(cid) + '?since=' + count)
        .then(applyConversation);
    });

    var reply = document.getElementById('reply-text');
    if (reply) {
      reply.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          if (reply.value.trim()) reply.form.requestSubmit();
        }
      });
    }
  }

  // ------------------------------------------------------------------ niet dubbel versturen
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.getAttribute('method') !== 'post') return;
    if (form.getAttribute('data-sent')) { e.preventDefault(); return; }
    form.setAttribute('data-sent', '1');
    setTimeout(function () { form.removeAttribute('data-sent'); }, 5000);
  });
})();
