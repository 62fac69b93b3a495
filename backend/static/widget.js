/*
 * Digitale Werkplaats – chatwidget voor de intake-assistent.
 * Vanilla JavaScript (ES2019), geen framework, geen build-stap.
 *
 * Configuratie via het script-element:
 *   <script src="/static/widget.js" data-dw-chat data-api-base="" data-privacy-url="/privacy" defer></script>
 *   data-api-base      prefix voor de API (leeg = zelfde origin)
 *   data-privacy-url   link naar de privacyverklaring in het paneel
 *   data-restore-open  "false" = open-stand van het paneel niet herstellen op deze pagina
 * of via window.DW_CHAT_CONFIG = { apiBase, privacyUrl, restoreOpen } vóór het laden.
 *
 * Veiligheid: tekst van gebruiker, bot of medewerker komt ALLEEN via textContent /
 * createTextNode in de pagina. Links worden als <a>-elementen gebouwd (alleen http, https, mailto).
 */
(function () {
  'use strict';

  if (window.DWChat) return; // al geladen

  // ------------------------------------------------------------------ configuratie
  var scriptEl = document.currentScript || document.querySelector('script[data-dw-chat]');
  var userCfg = window.DW_CHAT_CONFIG || {};

  function cfgValue(key, attr, fallback) {
    if (userCfg[key] !== undefined && userCfg[key] !== null) return String(userCfg[key]);
    if (scriptEl && scriptEl.hasAttribute(attr)) return scriptEl.getAttribute(attr);
    return fallback;
  }

  var API_BASE = cfgValue('apiBase', 'data-api-base', '').replace(/\/+$/, '');
  var API = API_BASE + '/api/v1';
  var PRIVACY_URL = cfgValue('privacyUrl', 'data-privacy-url', '/privacy');
  var RESTORE_OPEN = cfgValue('restoreOpen', 'data-restore-open', 'true') !== 'false';

  var STORAGE_KEY = 'dw-chat:v1';
  var MAX_LEN = 5000;
  var COUNTER_FROM = 4000;
  var TIMEOUT_MS = 30000;
  var POLL_MS = 20000;
  var POLL_HANDOVER_MS = 3000; // sneller zolang een mens helpt of er op een mens gewacht wordt
  var MAX_TITLES = 300;
  var SMALL_SCREEN = '(max-width: 600px), (max-height: 560px)';

  var T = {
    launcher: 'Stel je vraag',
    launcherLabel: 'Stel je vraag aan de digitale assistent',
    title: 'Digitale Werkplaats',
    subtitle: 'Je praat met een chatbot',
    dialogLabel: 'Chat met de digitale assistent van de Digitale Werkplaats',
    newChat: 'Nieuw gesprek',
    newChatLabel: 'Nieuw gesprek beginnen',
    close: 'Chat sluiten',
    introBefore: 'De assistent is een computerprogramma, geen mens. We bewaren dit gesprek om je vraag door te zetten naar de werkplaats. Lees onze ',
    introLink: 'privacyverklaring',
    introAfter: '.',
    logLabel: 'Gesprek met de assistent',
    quickLabel: 'Kies een antwoord',
    inputLabel: 'Typ je bericht',
    inputPlaceholder: 'Typ je bericht…',
    inputHint: 'Druk op Enter om te versturen. Shift en Enter samen geeft een nieuwe regel. Escape sluit de chat.',
    send: 'Bericht versturen',
    typing: 'De assistent typt…',
    whoBot: 'Assistent',
    whoUser: 'Jij',
    whoStaff: 'Medewerker',
    retry: 'Opnieuw proberen',
    offlineSend: 'Er is geen verbinding met de server. Je bericht is niet verstuurd; probeer het zo nog eens.',
    offlineStart: 'Er is geen verbinding met de server. Het gesprek kon niet starten; probeer het zo nog eens.',
    offlineRestore: 'Er is geen verbinding met de server. Je eerdere gesprek kon niet worden geladen; probeer het zo nog eens.',
    serverSend: 'Er ging iets mis bij de server. Je bericht is niet verstuurd; probeer het zo nog eens.',
    serverStart: 'Er ging iets mis bij de server. Het gesprek kon niet starten; probeer het zo nog eens.',
    tooMany: 'Je stuurt veel berichten kort na elkaar. Wacht even en probeer het dan opnieuw.',
    invalid: 'Dit bericht kunnen we niet versturen. Controleer of het niet leeg is en niet langer dan 5000 tekens.',
    empty: 'Typ eerst een bericht.',
    tooLong: function (n) {
      return 'Je bericht is te lang: ' + n + ' tekens. Het mag maximaal 5000 tekens zijn. Maak het korter of verstuur het in delen.';
    },
    counter: function (n) { return n + ' van 5000 tekens'; },
    expired: 'Je vorige gesprek is niet meer beschikbaar. We zijn een nieuw gesprek begonnen.',
    expiredKept: 'Je vorige gesprek is niet meer beschikbaar. We zijn een nieuw gesprek begonnen. Je bericht staat nog in het invoerveld.',
    newStarted: 'Nieuw gesprek gestart.',
    waitingForHuman: 'Je wacht op een student van de helpdesk.',
    withHuman: 'Je praat nu met een medewerker van de helpdesk.',
    ticket: function (ref) { return ref; }
  };

  // ------------------------------------------------------------------ opslag
  var memoryStore = null;
  function readStore() {
    var raw = null;
    try { raw = window.localStorage.getItem(STORAGE_KEY); } catch (e) { raw = memoryStore; }
    if (!raw) return {};
    try {
      var parsed = JSON.parse(raw);
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch (e) { return {}; }
  }
  var state = readStore();
  if (!state.titles || typeof state.titles !== 'object') state.titles = {};
  if (!Array.isArray(state.buttons)) state.buttons = [];

  function save() {
    var raw = JSON.stringify(state);
    try { window.localStorage.setItem(STORAGE_KEY, raw); } catch (e) { memoryStore = raw; }
  }

  function forgetConversation() {
    state.conversationId = null;
    state.token = null;
    state.buttons = [];
    state.titles = {};
    state.ticketReference = null;
    state.convState = null;
    save();
  }

  function rememberTitle(payload, title) {
    if (!payload || payload === title) return;
    state.titles[payload] = title;
    var keys = Object.keys(state.titles);
    if (keys.length > MAX_TITLES) delete state.titles[keys[0]];
  }

  // ------------------------------------------------------------------ DOM-hulp
  var SVG_NS = 'http://www.w3.org/2000/svg';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') node.textContent = v;
        else if (k === 'className') node.className = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function icon(paths, size) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('width', String(size || 22));
    svg.setAttribute('height', String(size || 22));
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('fill', 'none');
    svg.setAttribute('stroke', 'currentColor');
    svg.setAttribute('stroke-width', '2');
    svg.setAttribute('stroke-linecap', 'round');
    svg.setAttribute('stroke-linejoin', 'round');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    paths.forEach(function (d) {
      var p = document.createElementNS(SVG_NS, 'path');
      p.setAttribute('d', d);
      svg.appendChild(p);
    });
    return svg;
  }

  var ICON_CHAT = ['M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z'];
  var ICON_CLOSE = ['M6 6l12 12', 'M18 6L6 18'];
  var ICON_SEND = ['M4 12l16-8-6 16-2.5-6.5L4 12z', 'M11.5 13.5L20 4'];
  var ICON_NEW = ['M12 5v14', 'M5 12h14'];

  // Tekst -> DOM met regelafbrekingen en klikbare links; nooit innerHTML.
  var LINK_RE = /(https?:\/\/[^\s<>"']+|www\.[^\s<>"']+\.[^\s<>"']+|[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,})/gi;
  var TRAILING = '.,;:!?\'"’”)]}';

  function splitTrailing(match) {
    var end = match.length;
    while (end > 0 && TRAILING.indexOf(match.charAt(end - 1)) !== -1) {
      var ch = match.charAt(end - 1);
      if (ch === ')') {
        var body = match.slice(0, end);
        var opens = (body.match(/\(/g) || []).length;
        var closes = (body.match(/\)/g) || []).length;
        if (opens >= closes) break; // haakje hoort bij de link
      }
      end--;
    }
    return [match.slice(0, end), match.slice(end)];
  }

  function safeHref(raw) {
    var href;
    if (/^https?:\/\//i.test(raw)) href = raw;
    else if (/^www\./i.test(raw)) href = 'https://' + raw;
    else if (raw.indexOf('@') !== -1) href = 'mailto:' + raw;
    else return null;
    try {
      var u = new URL(href);
      if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:') return u.href;
    } catch (e) { /* geen geldige link */ }
    return null;
  }

  function appendLine(parent, line) {
    var last = 0;
    LINK_RE.lastIndex = 0;
    var m;
    while ((m = LINK_RE.exec(line)) !== null) {
      var parts = splitTrailing(m[0]);
      var href = parts[0] ? safeHref(parts[0]) : null;
      if (!href) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(line.slice(last, m.index)));
      var a = document.createElement('a');
      a.href = href;
      a.textContent = parts[0];
      if (href.indexOf('mailto:') !== 0) {
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
      }
      parent.appendChild(a);
      last = m.index + parts[0].length;
    }
    if (last < line.length) parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function renderText(parent, text) {
    var lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    lines.forEach(function (line, i) {
      if (i > 0) parent.appendChild(document.createElement('br'));
      appendLine(parent, line);
    });
  }

  // ------------------------------------------------------------------ opbouw widget
  var launcher = el('button', {
    id: 'dw-chat-open', className: 'dw-launcher', type: 'button',
    'aria-label': T.launcherLabel, 'aria-controls': 'dw-chat', 'aria-expanded': 'false', 'data-dw-chat-open': true
  }, [icon(ICON_CHAT, 24), el('span', { text: T.launcher })]);

  var newBtn = el('button', {
    className: 'dw-chat__hbtn dw-chat__new', type: 'button', 'aria-label': T.newChatLabel
  }, [icon(ICON_NEW, 18), el('span', { className: 'dw-chat__new-label', text: T.newChat })]);
  var closeBtn = el('button', {
    className: 'dw-chat__hbtn dw-chat__close', type: 'button', 'aria-label': T.close
  }, [icon(ICON_CLOSE, 24)]);

  // Twee rijen: titel + sluiten, daaronder "chatbot"-uitleg + nieuw gesprek.
  var header = el('div', { className: 'dw-chat__header' }, [
    el('h2', { id: 'dw-chat-title', className: 'dw-chat__title', text: T.title }),
    closeBtn,
    el('p', { id: 'dw-chat-subtitle', className: 'dw-chat__subtitle', text: T.subtitle }),
    newBtn
  ]);

  var statusLine = el('p', { id: 'dw-chat-status', className: 'dw-chat__status', role: 'status', hidden: true });
  var handoverLine = el('p', { id: 'dw-chat-handover', className: 'dw-chat__status dw-chat__handover', role: 'status', hidden: true });

  var privacyLink = el('a', { href: PRIVACY_URL, target: '_blank', rel: 'noopener', text: T.introLink });
  var intro = el('p', { className: 'dw-chat__intro' }, [T.introBefore, privacyLink, T.introAfter]);

  var log = el('div', {
    id: 'dw-chat-log', className: 'dw-chat__log', role: 'log', 'aria-live': 'polite',
    'aria-relevant': 'additions', 'aria-label': T.logLabel
  });
  var typing = el('div', { id: 'dw-typing', className: 'dw-typing', role: 'status', 'aria-live': 'polite' });
  var quickWrap = el('div', { className: 'dw-quick-wrap', role: 'group', 'aria-label': T.quickLabel, hidden: true });
  var body = el('div', { className: 'dw-chat__body' }, [intro, log, typing, quickWrap]);

  var errorText = el('p', { className: 'dw-chat__error-text' });
  var retryBtn = el('button', { className: 'dw-chat__retry', type: 'button', 'aria-label': T.retry, text: T.retry });
  var errorBox = el('div', { id: 'dw-chat-error', className: 'dw-chat__error', role: 'alert', hidden: true }, [errorText, retryBtn]);

  var input = el('textarea', {
    id: 'dw-chat-input', className: 'dw-chat__input', rows: '1', 'aria-label': T.inputLabel,
    placeholder: T.inputPlaceholder, autocomplete: 'off', 'aria-describedby': 'dw-chat-hint', enterkeyhint: 'send'
  });
  var sendBtn = el('button', {
    id: 'dw-chat-send', className: 'dw-chat__send', type: 'submit', 'aria-label': T.send
  }, [icon(ICON_SEND, 22)]);
  var form = el('form', { className: 'dw-chat__form', novalidate: true }, [
    el('label', { className: 'dw-sr-only', for: 'dw-chat-input', text: T.inputLabel }),
    input,
    sendBtn,
    el('span', { id: 'dw-chat-hint', className: 'dw-sr-only', text: T.inputHint })
  ]);
  var counter = el('p', { className: 'dw-chat__counter', 'aria-live': 'polite', hidden: true });

  var panel = el('section', {
    id: 'dw-chat', className: 'dw-chat', role: 'dialog', 'aria-modal': 'false',
    'aria-label': T.dialogLabel, 'aria-describedby': 'dw-chat-subtitle', tabindex: '-1', hidden: true
  }, [header, statusLine, handoverLine, body, errorBox, form, counter]);

  // ------------------------------------------------------------------ toestand in het geheugen
  var busy = false;          // er loopt een verzoek
  var loaded = false;        // gesprek in dit paneel geladen (nieuw of hersteld)
  var loading = null;        // lopende laad-belofte
  var retryAction = null;    // wat "Opnieuw proberen" doet
  var opener = null;         // element dat het paneel opende
  var shown = {};            // afzender + tekst -> hoe vaak al getoond (zie poll)
  var pollTimer = null;

  // ------------------------------------------------------------------ API
  function apiRequest(method, path, payload) {
    var headers = { Accept: 'application/json' };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    if (state.token && path.indexOf('/conversations/') === 0) headers.Authorization = 'Bearer ' + state.token;
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(API + path, {
      method: method,
      headers: headers,
      body: payload !== undefined ? JSON.stringify(payload) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller ? controller.signal : undefined
    }).then(function (res) {
      if (timer) clearTimeout(timer);
      return res.text().then(function (raw) {
        var data = null;
        if (raw) {
          try { data = JSON.parse(raw); } catch (e) { data = null; }
        }
        if (!res.ok) {
          var err = new Error('HTTP ' + res.status);
          err.kind = 'http';
          err.status = res.status;
          err.detail = data && data.detail;
          throw err;
        }
        if (!data || typeof data !== 'object') {
          var bad = new Error('Ongeldig antwoord');
          bad.kind = 'http';
          bad.status = res.status;
          throw bad;
        }
        return data;
      });
    }, function (e) {
      if (timer) clearTimeout(timer);
      var err = new Error('Netwerkfout');
      err.kind = 'network';
      err.cause = e;
      throw err;
    });
  }

  function isGone(err) { return err && err.kind === 'http' && (err.status === 401 || err.status === 404); }

  // ------------------------------------------------------------------ weergave
  function scrollToBottom() { body.scrollTop = body.scrollHeight; }

  function scrollToNew(firstNew) {
    if (firstNew && firstNew.offsetTop + firstNew.offsetHeight > body.scrollTop &&
        body.scrollHeight - firstNew.offsetTop > body.clientHeight) {
      body.scrollTop = Math.max(0, firstNew.offsetTop - 8); // lang antwoord: begin bovenaan
    } else {
      scrollToBottom();
    }
  }

  function addMessage(from, text) {
    var kind = from === 'user' ? 'user' : from === 'staff' ? 'staff' : 'bot';
    var who = kind === 'user' ? T.whoUser : kind === 'staff' ? T.whoStaff : T.whoBot;
    var textNode = el('div', { className: 'dw-msg__text' });
    renderText(textNode, text);
    var msg = el('div', { className: 'dw-msg dw-msg--' + kind, 'data-from': kind }, [
      el('span', { className: 'dw-msg__who', text: kind === 'staff' ? who : who + ': ' }),
      textNode
    ]);
    log.appendChild(msg);
    return msg;
  }

  function addNotice(text) {
    var n = el('p', { className: 'dw-chat__notice', text: text });
    log.appendChild(n);
    return n;
  }

  function addBotMessages(messages) {
    var first = null;
    (messages || []).forEach(function (m) {
      if (!m || typeof m.text !== 'string' || !m.text.trim()) return;
      markShown('bot', m.text);
      var node = addMessage('bot', m.text);
      if (!first) first = node;
    });
    var withButtons = null;
    (messages || []).forEach(function (m) {
      if (m && Array.isArray(m.buttons) && m.buttons.length) withButtons = m;
    });
    setQuickReplies(withButtons ? withButtons.buttons : []);
    scrollToNew(first);
  }

  function setQuickReplies(buttons) {
    var clean = (buttons || []).filter(function (b) {
      return b && typeof b.title === 'string' && b.title.trim() && typeof b.payload === 'string';
    }).map(function (b) { return { title: b.title, payload: b.payload }; });
    state.buttons = clean;
    save();
    renderQuickReplies();
  }

  function renderQuickReplies() {
    while (quickWrap.firstChild) quickWrap.removeChild(quickWrap.firstChild);
    state.buttons.forEach(function (b) {
      var btn = el('button', {
        className: 'dw-quick', type: 'button', 'aria-label': b.title, 'data-payload': b.payload, text: b.title
      });
      btn.disabled = busy;
      btn.addEventListener('click', function () { sendMessage(b.payload, b.title, 'quick'); });
      quickWrap.appendChild(btn);
    });
    quickWrap.hidden = state.buttons.length === 0;
  }

  function showTyping(on) {
    while (typing.firstChild) typing.removeChild(typing.firstChild);
    if (on) {
      typing.appendChild(el('div', { className: 'dw-typing__bubble' }, [
        el('span', { className: 'dw-typing__dots', 'aria-hidden': 'true' }, [el('span'), el('span'), el('span')]),
        el('span', { text: T.typing })
      ]));
      scrollToBottom();
    }
  }

  function showError(message, retry) {
    errorText.textContent = message;
    retryAction = retry || null;
    retryBtn.hidden = !retry;
    errorBox.hidden = false;
  }

  function hideError() {
    errorBox.hidden = true;
    errorText.textContent = '';
    retryAction = null;
  }

  function showTicket(ref) {
    if (!ref) {
      statusLine.hidden = true;
      statusLine.textContent = '';
      return;
    }
    while (statusLine.firstChild) statusLine.removeChild(statusLine.firstChild);
    statusLine.appendChild(document.createTextNode('Je vraag is doorgestuurd naar de werkplaats. Je referentienummer is '));
    statusLine.appendChild(el('strong', { className: 'dw-chat__ref', text: ref }));
    statusLine.appendChild(document.createTextNode('.'));
    statusLine.hidden = false;
  }

  function isHandover() {
    return state.convState === 'waiting_for_human' || state.convState === 'human';
  }

  function showHandover() {
    var text = state.convState === 'waiting_for_human' ? T.waitingForHuman
      : state.convState === 'human' ? T.withHuman : '';
    if (handoverLine.textContent !== text) handoverLine.textContent = text;
    handoverLine.hidden = !text;
  }

  function applyResult(data) {
    if (data && typeof data.state === 'string') {
      var changed = state.convState !== data.state;
      state.convState = data.state;
      panel.setAttribute('data-state', data.state);
      showHandover();
      if (changed) schedulePoll();
    }
    if (data && data.ticket_reference) {
      state.ticketReference = String(data.ticket_reference);
      showTicket(state.ticketReference);
    }
    save();
  }

  function setBusy(on, mode) {
    busy = on;
    sendBtn.disabled = on;
    newBtn.disabled = on;
    if (mode === 'send' || !on) input.disabled = on && mode === 'send';
    panel.setAttribute('aria-busy', on ? 'true' : 'false');
    Array.prototype.forEach.call(quickWrap.querySelectorAll('.dw-quick'), function (b) { b.disabled = on; });
    showTyping(on);
  }

  function clearConversationView() {
    while (log.firstChild) log.removeChild(log.firstChild);
    setQuickReplies([]);
    showTicket(null);
    hideError();
    panel.removeAttribute('data-state');
    shown = {};
    showHandover();
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 4, 140) + 'px';
  }

  function updateCounter() {
    var n = input.value.length;
    if (n < COUNTER_FROM) {
      counter.hidden = true;
      return;
    }
    counter.hidden = false;
    counter.textContent = T.counter(n);
    counter.classList.toggle('dw-chat__counter--over', n > MAX_LEN);
  }

  function setInputValue(v) {
    input.value = v;
    autosize();
    updateCounter();
  }

  function focusInput() {
    if (panel.hidden) return;
    if (input.disabled) { panel.focus(); return; }
    try { input.focus({ preventScroll: true }); } catch (e) { input.focus(); }
  }

  // ------------------------------------------------------------------ gesprek starten / herstellen
  function createConversation() {
    return apiRequest('POST', '/conversations', {}).then(function (data) {
      if (!data.conversation_id || !data.token) {
        var err = new Error('Ongeldig antwoord');
        err.kind = 'http';
        err.status = 500;
        throw err;
      }
      state.conversationId = String(data.conversation_id);
      state.token = String(data.token);
      state.titles = {};
      state.ticketReference = null;
      save();
      loaded = true;
      applyResult(data);
      addBotMessages(data.messages);
    });
  }

  function startConversation(notice) {
    if (loading) return loading;
    hideError();
    setBusy(true, 'load');
    loading = createConversation().then(function () {
      if (notice) {
        // melding vóór de begroeting zetten
        log.insertBefore(el('p', { className: 'dw-chat__notice', text: notice }), log.firstChild);
      }
    }, function (err) {
      showError(err.kind === 'network' ? T.offlineStart : T.serverStart, function () { startConversation(notice); });
    }).then(function () {
      loading = null;
      setBusy(false);
    });
    return loading;
  }

  function renderTranscript(messages) {
    var last = null;
    shown = {};
    messages.forEach(function (m) {
      if (!m || typeof m.text !== 'string' || !m.text.trim()) return;
      var from = m.from === 'user' || m.from === 'staff' ? m.from : 'bot';
      var text = from === 'user' && Object.prototype.hasOwnProperty.call(state.titles, m.text) ? state.titles[m.text] : m.text;
      addMessage(from, text);
      markShown(from, m.text);
      if (from !== 'staff') last = from; // medewerkerberichten laten de knoppen van de bot staan
    });
    // knoppen horen alleen bij het laatste botbericht
    if (last !== 'bot') setQuickReplies([]);
    else renderQuickReplies();
    if (!state.ticketReference) {
      for (var i = messages.length - 1; i >= 0; i--) {
        var found = messages[i] && messages[i].from !== 'user' && /\bDW-\d{4}-\d{5}\b/.exec(String(messages[i].text || ''));
        if (found) { state.ticketReference = found[0]; save(); break; }
      }
    }
    showTicket(state.ticketReference);
    scrollToBottom();
  }

  function restoreConversation() {
    if (loading) return loading;
    hideError();
    setBusy(true, 'load');
    loading = apiRequest('GET', '/conversations/' + encodeURIComponent(state.conversationId) + '/messages')
      .then(function (data) {
        clearLogOnly();
        loaded = true;
        renderTranscript(Array.isArray(data.messages) ? data.messages : []);
        if (data.state) applyResult({ state: data.state });
      }, function (err) {
        if (isGone(err)) {
          forgetConversation();
          clearConversationView();
          loading = null;
          setBusy(false);
          return startConversation(T.expired);
        }
        showError(err.kind === 'network' ? T.offlineRestore : T.serverStart, restoreConversation);
      }).then(function () {
        loading = null;
        setBusy(false);
      });
    return loading;
  }

  function clearLogOnly() {
    while (log.firstChild) log.removeChild(log.firstChild);
  }

  function ensureConversation() {
    if (loaded || loading) return loading || Promise.resolve();
    if (state.conversationId && state.token) return restoreConversation();
    return startConversation();
  }

  // ------------------------------------------------------------------ berichten versturen
  function sendFromInput() {
    return sendMessage(input.value, null, 'input');
  }

  function sendMessage(text, title, source) {
    if (busy) return Promise.resolve();
    var raw = String(text == null ? '' : text);
    var outgoing = source === 'input' ? raw.trim() : raw;
    if (!outgoing) {
      showError(T.empty, null);
      focusInput();
      return Promise.resolve();
    }
    if (outgoing.length > MAX_LEN) {
      showError(T.tooLong(outgoing.length), null);
      focusInput();
      return Promise.resolve();
    }
    hideError();

    var display = title || outgoing;
    var typed = source === 'input' ? raw : null;
    var bubble = null;
    var retry = source === 'input' ? sendFromInput : function () { return sendMessage(text, title, source); };

    // Vorig gesprek nog niet (goed) geladen? Eerst starten, dan versturen.
    var ready;
    if (state.conversationId && state.token) ready = Promise.resolve(true);
    else ready = startConversation().then(function () { return !!state.conversationId; });

    return ready.then(function (ok) {
      if (!ok) return null; // foutmelding van het starten staat al in beeld
      if (busy) return null;
      var hadFocus = panel.contains(document.activeElement);
      var refocus = function () {
        var a = document.activeElement;
        if (hadFocus || !a || a === document.body || panel.contains(a)) focusInput();
      };
      setBusy(true, 'send');
      if (typed !== null) setInputValue('');
      bubble = addMessage('user', display);
      bubble.classList.add('dw-msg--pending');
      scrollToBottom();
      return apiRequest('POST', '/conversations/' + encodeURIComponent(state.conversationId) + '/messages', { text: outgoing })
        .then(function (data) {
          bubble.classList.remove('dw-msg--pending');
          markShown('user', outgoing);
          if (source === 'quick') rememberTitle(outgoing, display);
          if (typed !== null) { state.draft = ''; }
          setBusy(false);
          applyResult(data); // eerst de statusregel, dan scrollen
          addBotMessages(Array.isArray(data.messages) ? data.messages : []);
          refocus();
        }, function (err) {
          if (bubble && bubble.parentNode) bubble.parentNode.removeChild(bubble);
          setBusy(false);
          if (typed !== null && !input.value) setInputValue(typed); // wat je typte blijft staan
          renderQuickReplies();
          if (isGone(err)) {
            forgetConversation();
            clearConversationView();
            if (typed !== null) { state.draft = typed; save(); }
            startConversation(typed !== null ? T.expiredKept : T.expired).then(focusInput);
            return;
          }
          if (err.kind === 'network') showError(T.offlineSend, retry);
          else if (err.status === 422) showError(T.invalid, null);
          else if (err.status === 429) showError(T.tooMany, retry);
          else showError(T.serverSend, retry);
          refocus();
        });
    });
  }

  // ------------------------------------------------------------------ nieuwe berichten buiten een verzoek om
  // Medewerkers antwoorden, en de assistent praat soms uit zichzelf (na het teruggeven door een
  // medewerker, of als niemand op tijd reageerde). De poll toont elk bericht uit het gesprek dat
  // hier nog niet staat: per afzender + tekst tellen we hoe vaak het al getoond is.
  function shownKey(from, text) { return (from === 'user' || from === 'staff' ? from : 'bot') + '\n' + text; }

  function markShown(from, text) {
    var key = shownKey(from, text);
    shown[key] = (shown[key] || 0) + 1;
  }

  function poll() {
    if (panel.hidden || busy || loading || !loaded || !state.conversationId) return;
    if (document.visibilityState && document.visibilityState !== 'visible') return;
    var cid = state.conversationId;
    apiRequest('GET', '/conversations/' + encodeURIComponent(cid) + '/messages').then(function (data) {
      if (busy || cid !== state.conversationId) return;
      var first = null;
      var botSpoke = false;
      var seen = {};
      (Array.isArray(data.messages) ? data.messages : []).forEach(function (m) {
        if (!m || typeof m.text !== 'string' || !m.text.trim()) return;
        var from = m.from === 'user' || m.from === 'staff' ? m.from : 'bot';
        var key = shownKey(from, m.text);
        seen[key] = (seen[key] || 0) + 1;
        if (seen[key] <= (shown[key] || 0)) return;
        shown[key] = seen[key];
        var node = addMessage(from, from === 'user' && Object.prototype.hasOwnProperty.call(state.titles, m.text) ? state.titles[m.text] : m.text);
        if (from === 'bot') botSpoke = true;
        if (!first) first = node;
      });
      if (botSpoke) setQuickReplies([]); // de knoppen horen bij een ouder bericht
      if (data.state) applyResult({ state: data.state });
      if (first) scrollToNew(first);
    }, function () { /* stil negeren; volgende keer opnieuw */ });
  }

  function schedulePoll() {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    if (!panel.hidden) pollTimer = setInterval(poll, isHandover() ? POLL_HANDOVER_MS : POLL_MS);
  }

  // ------------------------------------------------------------------ openen / sluiten
  function setExpanded(open) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-dw-chat-open]'), function (b) {
      b.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (!b.hasAttribute('aria-controls')) b.setAttribute('aria-controls', 'dw-chat');
    });
  }

  function isSmallScreen() {
    return !!(window.matchMedia && window.matchMedia(SMALL_SCREEN).matches);
  }

  function openPanel(options) {
    var opts = options || {};
    if (opts.opener) opener = opts.opener;
    var wasHidden = panel.hidden;
    panel.classList.toggle('dw-chat--instant', opts.focus === false); // herstel na herladen: geen animatie
    panel.hidden = false;
    launcher.hidden = true;
    document.documentElement.classList.add('dw-chat-lock');
    setExpanded(true);
    state.open = true;
    save();
    if (wasHidden) { autosize(); scrollToBottom(); }
    if (opts.focus !== false) focusInput();
    ensureConversation();
    if (!pollTimer) schedulePoll();
  }

  function closePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.hidden = false;
    document.documentElement.classList.remove('dw-chat-lock');
    setExpanded(false);
    state.open = false;
    save();
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    var target = opener && opener.isConnected && opener.getClientRects().length ? opener : launcher;
    target.focus();
  }

  function newConversation() {
    if (busy) return;
    forgetConversation();
    clearConversationView();
    loaded = false;
    startConversation().then(focusInput);
    focusInput();
  }

  // ------------------------------------------------------------------ gebeurtenissen
  document.addEventListener('click', function (e) {
    var t = e.target && e.target.closest ? e.target.closest('[data-dw-chat-open]') : null;
    if (!t) return;
    e.preventDefault();
    openPanel({ opener: t });
  });

  closeBtn.addEventListener('click', closePanel);
  newBtn.addEventListener('click', newConversation);
  retryBtn.addEventListener('click', function () {
    var action = retryAction;
    hideError();
    if (action) action();
    else focusInput();
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    sendFromInput();
  });

  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      sendFromInput();
    }
  });

  input.addEventListener('input', function () {
    autosize();
    updateCounter();
    state.draft = input.value;
    save();
  });

  document.addEventListener('keydown', function (e) {
    if (panel.hidden) return;
    var active = document.activeElement;
    var inside = panel.contains(active) || active === document.body || active === null;
    if (e.key === 'Escape' && inside) {
      e.preventDefault();
      closePanel();
      return;
    }
    // Op een klein scherm bedekt het paneel de pagina: houd de focus erin.
    if (e.key === 'Tab' && isSmallScreen() && panel.contains(active)) {
      var items = Array.prototype.filter.call(
        panel.querySelectorAll('a[href], button:not([disabled]), textarea:not([disabled])'),
        function (n) { return n.getClientRects().length > 0; }
      );
      if (!items.length) return;
      var firstItem = items[0];
      var lastItem = items[items.length - 1];
      if (e.shiftKey && (active === firstItem || active === panel)) { e.preventDefault(); lastItem.focus(); }
      else if (!e.shiftKey && active === lastItem) { e.preventDefault(); firstItem.focus(); }
    }
  });

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') poll();
  });

  // ------------------------------------------------------------------ start
  function mount() {
    document.body.appendChild(launcher);
    document.body.appendChild(panel);
    if (typeof state.draft === 'string' && state.draft) setInputValue(state.draft);
    if (state.ticketReference) showTicket(state.ticketReference);
    if (state.open && RESTORE_OPEN) openPanel({ focus: false });
    else setExpanded(false);
  }

  window.DWChat = {
    open: function () { openPanel({ opener: document.activeElement }); },
    close: closePanel,
    newConversation: newConversation
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
