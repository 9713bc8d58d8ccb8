/*
 * Itemshop pay station widget — a drop-in for Xsolla's pay station embed script (`XPayStationWidget`).
 *
 * A web shop that loads this script instead of Xsolla's keeps its code: `XPayStationWidget.init(options)`,
 * `.open()`, `.close()`, `.on(events, handler)`, `.off(events, handler)`, `.sendMessage(command, data)`,
 * `.onMessage(command, handler)` and `.eventTypes` behave as documented for Xsolla's widget, and an element with the
 * `data-xpaystation-widget-open` attribute opens the payment UI when clicked. The payment UI is Itemshop's sandbox
 * pay station, `<origin>/paystation2/?access_token=<token>`, where <origin> is the origin this script was loaded
 * from (Xsolla's own hosts in `host` or `sandbox: true` are replaced by it; another `host` is used as given, and
 * `payment_url` wins over both). It opens in an iframe lightbox over the page on desktops, and in a new window on
 * phones and tablets unless `iframeOnly` is set (`childWindow.target`: `_blank`, `_self` or `_parent`).
 *
 * Events (handlers get `(event, data)`; they are also dispatched on `document` as CustomEvents with `detail`):
 * init, open, open-lightbox | open-window, load, close, close-lightbox | close-window, status and one of
 * status-invoice, status-delivering, status-done, status-troubled (data `{paymentInfo: {status, ...}}`),
 * user-country, fcp, error. The pay station page talks to this script with Xsolla's window messages: JSON strings
 * `{"command": ..., "data": ...}` (`widget-detection`, `dimensions`, `status`, `close`, `widget-close`, ...),
 * answered with `widget-detected`.
 *
 * Written for Itemshop (Apache-2.0); no code of Xsolla's widget is included. Served at
 * `/embed/paystation/<version>/widget.min.js` (docs/decisions/0035-pay-station-entry-points-and-widget.md).
 */
(function (root, factory) {
  var api = factory(root);
  if (typeof define === 'function' && define.amd)
    define([], function () {
      return api;
    });
  else if (typeof module === 'object' && module && module.exports) module.exports = api;
  root.XPayStationWidget = api;
})(typeof window !== 'undefined' ? window : this, function (window) {
  'use strict';

  var document = window.document;
  var VERSION = 'itemshop-1';
  var ATTR_OPEN = 'data-xpaystation-widget-open';
  var XSOLLA_HOSTS = ['secure.xsolla.com', 'sandbox-secure.xsolla.com'];
  var MIN_SIZE = { width: 600, height: 500 };

  var eventTypes = {
    INIT: 'init',
    OPEN: 'open',
    OPEN_WINDOW: 'open-window',
    OPEN_LIGHTBOX: 'open-lightbox',
    LOAD: 'load',
    CLOSE: 'close',
    CLOSE_WINDOW: 'close-window',
    CLOSE_LIGHTBOX: 'close-lightbox',
    STATUS: 'status',
    STATUS_INVOICE: 'status-invoice',
    STATUS_DELIVERING: 'status-delivering',
    STATUS_TROUBLED: 'status-troubled',
    STATUS_DONE: 'status-done',
    USER_COUNTRY: 'user-country',
    FCP: 'fcp',
    ERROR: 'error',
  };
  /** paymentInfo.status → the event that follows `status`. */
  var STATUS_EVENTS = {
    invoice: eventTypes.STATUS_INVOICE,
    delivering: eventTypes.STATUS_DELIVERING,
    troubled: eventTypes.STATUS_TROUBLED,
    done: eventTypes.STATUS_DONE,
  };

  /** Origin of this script: the Itemshop that serves the pay station. */
  var scriptOrigin = (function () {
    var s = document.currentScript;
    try {
      if (s && s.src) return new URL(s.src, document.baseURI).origin;
    } catch {
      /* fall through */
    }
    return window.location.origin;
  })();

  var DEFAULTS = {
    access_token: null,
    access_data: null,
    payment_url: null,
    sandbox: false,
    lightbox: {},
    childWindow: {},
    host: null,
    iframeOnly: false,
    queryParams: null,
    consentId: null,
  };
  var LIGHTBOX_DEFAULTS = {
    width: null,
    height: '100%',
    zIndex: 1000,
    overlayOpacity: '.6',
    overlayBackground: '#000000',
    contentBackground: '#ffffff',
    contentMargin: '10px',
    closeByKeyboard: true,
    closeByClick: true,
    modal: false,
    spinner: 'xsolla',
    spinnerColor: null,
    spinnerUrl: null,
    spinnerRotationPeriod: 0,
    allow: 'payment',
  };

  function assign(target) {
    for (var i = 1; i < arguments.length; i++) {
      var src = arguments[i];
      if (src) for (var k in src) if (Object.prototype.hasOwnProperty.call(src, k)) target[k] = src[k];
    }
    return target;
  }
  function isEmpty(v) {
    return v === null || v === undefined;
  }
  function px(v) {
    if (typeof v === 'number') return v + 'px';
    if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return v + 'px';
    return v;
  }
  function isMobile() {
    if (navigator.userAgentData && navigator.userAgentData.mobile === true) return true;
    return /Mobi|Android|iPhone|iPad|iPod|Opera Mini|IEMobile|Silk|Kindle/i.test(navigator.userAgent || '');
  }
  /** `a=1&b[c]=2`, as jQuery.param builds it (the query string Xsolla's widget sends). */
  function param(obj) {
    var parts = [];
    function add(key, value) {
      if (value === null || value === undefined) value = '';
      parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(value));
    }
    function build(prefix, value) {
      if (Array.isArray(value)) {
        for (var i = 0; i < value.length; i++)
          build(prefix + '[' + (typeof value[i] === 'object' && value[i] ? i : '') + ']', value[i]);
      } else if (value && typeof value === 'object') {
        for (var k in value) build(prefix + '[' + k + ']', value[k]);
      } else add(prefix, value);
    }
    for (var key in obj) build(key, obj[key]);
    return parts.join('&');
  }

  // ---- events: dispatched on document, as Xsolla's widget does -------------------------------------------------
  var wrappers = []; // {name, handler, listener, options}
  function trigger(name, data) {
    var event;
    try {
      event = new CustomEvent(name, { detail: data });
    } catch {
      event = document.createEvent('CustomEvent');
      event.initCustomEvent(name, true, true, data);
    }
    document.dispatchEvent(event);
  }
  function names(events) {
    return String(events || '')
      .split(/\s+/)
      .filter(function (n) {
        return n !== '';
      });
  }
  function on(events, handler, options) {
    if (typeof handler !== 'function') return;
    names(events).forEach(function (name) {
      var listener = function (event) {
        handler(event, event.detail);
      };
      wrappers.push({ name: name, handler: handler, listener: listener, options: options });
      document.addEventListener(name, listener, options);
    });
  }
  function off(events, handler, options) {
    var wanted = names(events);
    wrappers = wrappers.filter(function (w) {
      var match = (!wanted.length || wanted.indexOf(w.name) !== -1) && (!handler || w.handler === handler);
      if (match) document.removeEventListener(w.name, w.listener, options || w.options);
      return !match;
    });
  }

  // ---- the link with the pay station window (Xsolla's message format) ----------------------------------------
  function Link(getWindow) {
    this.getWindow = getWindow;
    this.handlers = {};
    var self = this;
    this.listener = function (event) {
      var w = self.getWindow();
      if (!w || event.source !== w) return;
      var message;
      try {
        message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
      } catch {
        return;
      }
      if (!message || typeof message.command !== 'string') return;
      var list = (self.handlers[message.command] || []).slice();
      var detail = message.data === undefined ? {} : message.data;
      for (var i = 0; i < list.length; i++) list[i]({ type: message.command, detail: detail }, detail);
    };
    window.addEventListener('message', this.listener);
  }
  Link.prototype.on = function (commands, handler) {
    var self = this;
    if (typeof handler !== 'function') return;
    names(commands).forEach(function (c) {
      (self.handlers[c] = self.handlers[c] || []).push(handler);
    });
  };
  Link.prototype.off = function (commands, handler) {
    var self = this;
    if (commands === undefined) {
      this.handlers = {};
      return;
    }
    names(commands).forEach(function (c) {
      self.handlers[c] = (self.handlers[c] || []).filter(function (h) {
        return handler && h !== handler;
      });
    });
  };
  Link.prototype.send = function (command, data, targetOrigin) {
    var w = this.getWindow();
    if (!w || typeof w.postMessage !== 'function') return false;
    try {
      w.postMessage(
        JSON.stringify({ data: data === undefined ? {} : data, command: command }),
        targetOrigin || '*',
      );
    } catch {
      return false;
    }
    return true;
  };
  Link.prototype.destroy = function () {
    window.removeEventListener('message', this.listener);
    this.handlers = {};
  };

  /** Wires the pay station's messages that every container handles the same way. */
  function forwardStatus(link, container) {
    link.on('status', function (_e, data) {
      container.emit('status', data);
    });
    link.on('user-country', function (_e, data) {
      container.emit('user-country', data);
    });
    link.on('fcp', function (_e, data) {
      container.emit('fcp', data);
    });
    link.on('error', function (_e, data) {
      container.emit('error', data);
    });
  }

  // ---- the lightbox: an iframe over the page ----------------------------------------------------------------
  function Lightbox(options, emit) {
    this.options = options;
    this.emit = emit;
    this.root = null;
    this.link = null;
    this.closed = false;
  }
  Lightbox.prototype.open = function (url) {
    var o = this.options;
    var self = this;
    var body = document.body;
    var size = { width: MIN_SIZE.width, height: MIN_SIZE.height };
    var shown = false;

    var root = (this.root = document.createElement('div'));
    root.className = 'xpaystation-widget-lightbox';
    assign(root.style, {
      position: 'fixed',
      top: '0',
      left: '0',
      width: '100%',
      height: '100%',
      zIndex: String(o.zIndex),
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
    });
    var overlay = document.createElement('div');
    overlay.className = 'xpaystation-widget-lightbox-overlay';
    assign(overlay.style, {
      position: 'absolute',
      top: '0',
      left: '0',
      width: '100%',
      height: '100%',
      background: o.overlayBackground,
      opacity: String(o.overlayOpacity),
    });
    var content = document.createElement('div');
    content.className = 'xpaystation-widget-lightbox-content';
    assign(content.style, {
      position: 'relative',
      boxSizing: 'border-box',
      margin: px(o.contentMargin),
      maxWidth: 'calc(100% - 2 * ' + px(o.contentMargin) + ')',
      maxHeight: 'calc(100% - 2 * ' + px(o.contentMargin) + ')',
      background: o.contentBackground,
      borderRadius: '8px',
      overflow: 'hidden',
      visibility: 'hidden',
    });
    var iframe = document.createElement('iframe');
    iframe.className = 'xpaystation-widget-lightbox-content-iframe';
    iframe.setAttribute('allow', o.allow);
    iframe.setAttribute('allowfullscreen', '');
    iframe.setAttribute('title', 'Pay station');
    assign(iframe.style, { border: '0', width: '100%', height: '100%', display: 'block' });
    iframe.src = url;
    var spinner = makeSpinner(o);

    content.appendChild(iframe);
    root.appendChild(overlay);
    root.appendChild(content);
    if (spinner) root.appendChild(spinner);

    function resize() {
      content.style.width = px(o.width || size.width + 'px');
      content.style.height = px(o.height || size.height + 'px');
    }
    function show() {
      if (shown || self.closed) return;
      shown = true;
      resize();
      if (spinner && spinner.parentNode) spinner.parentNode.removeChild(spinner);
      content.style.visibility = 'visible';
      self.emit('load');
    }
    resize();

    this.link = new Link(function () {
      return iframe.contentWindow;
    });
    this.link.on('dimensions', function (_e, data) {
      if (data && data.dimensions) {
        size = {
          width: Math.max(MIN_SIZE.width, Number(data.dimensions.width) || 0),
          height: Math.max(MIN_SIZE.height, Number(data.dimensions.height) || 0),
        };
      }
      resize();
      show();
    });
    this.link.on('widget-detection', function () {
      self.link.send('widget-detected', { version: VERSION, lightBoxOptions: o });
    });
    this.link.on('close widget-close', function () {
      self.requestClose();
    });
    forwardStatus(this.link, this);
    // A page that never reports its size is shown shortly after it loads.
    iframe.addEventListener('load', function () {
      window.setTimeout(show, o.width && o.height ? 200 : 1000);
    });

    if (o.closeByClick)
      overlay.addEventListener('click', function () {
        self.requestClose();
      });
    this.onKey = function (e) {
      if (o.closeByKeyboard && (e.key === 'Escape' || e.keyCode === 27)) self.requestClose();
    };
    document.addEventListener('keyup', this.onKey);

    this.bodyOverflow = body.style.overflow;
    body.style.overflow = 'hidden';
    body.appendChild(root);
    this.emit('open');
  };
  /** Closing asked by the user (overlay, Escape, the pay station's close): refused when modal. */
  Lightbox.prototype.requestClose = function () {
    if (!this.options.modal) this.close();
  };
  Lightbox.prototype.close = function () {
    if (this.closed) return;
    this.closed = true;
    document.removeEventListener('keyup', this.onKey);
    if (this.link) this.link.destroy();
    if (this.root && this.root.parentNode) this.root.parentNode.removeChild(this.root);
    document.body.style.overflow = this.bodyOverflow || '';
    this.emit('close');
  };
  Lightbox.prototype.getLink = function () {
    return this.link;
  };

  function makeSpinner(o) {
    if (o.spinner === 'none') return null;
    var box = document.createElement('div');
    box.className = 'xpaystation-widget-lightbox-spinner';
    assign(box.style, { position: 'absolute', top: '50%', left: '50%', width: '40px', height: '40px' });
    box.style.margin = '-20px 0 0 -20px';
    var el;
    if (o.spinner === 'custom' && o.spinnerUrl) {
      el = document.createElement('img');
      el.src = o.spinnerUrl;
      el.alt = '';
      assign(el.style, { width: '100%', height: '100%' });
    } else {
      el = document.createElement('div');
      var color = o.spinnerColor || '#ffffff';
      assign(el.style, {
        width: '100%',
        height: '100%',
        boxSizing: 'border-box',
        borderRadius: '50%',
        border: '4px solid ' + color,
        borderTopColor: 'transparent',
        opacity: '.9',
      });
    }
    box.appendChild(el);
    if (typeof el.animate === 'function') {
      var period = o.spinner === 'custom' && o.spinnerRotationPeriod ? o.spinnerRotationPeriod * 1000 : 900;
      el.animate([{ transform: 'rotate(0deg)' }, { transform: 'rotate(360deg)' }], {
        duration: period,
        iterations: Infinity,
      });
    }
    return box;
  }

  // ---- the child window: a new window (phones, tablets) ---------------------------------------------------------
  function ChildWindow(options, emit) {
    this.options = assign({ target: '_blank' }, options);
    this.emit = emit;
    this.win = null;
    this.link = null;
    this.closed = false;
    this.timer = null;
  }
  ChildWindow.prototype.open = function (url) {
    var self = this;
    var target = this.options.target;
    if (target === '_self') this.win = window;
    else if (target === '_parent') this.win = window.parent;
    else this.win = window.open(url, '_blank');
    if (!this.win) {
      // Blocked by the browser (open() outside a click): report and give up.
      this.emit('error', { message: 'The pay station window could not be opened' });
      this.close();
      return;
    }
    this.link = new Link(function () {
      return self.win;
    });
    var loaded = false;
    this.link.on('dimensions widget-detection', function () {
      if (loaded) return;
      loaded = true;
      self.emit('load');
    });
    this.link.on('widget-detection', function () {
      self.link.send('widget-detected', { version: VERSION, childWindowOptions: self.options });
    });
    this.link.on('close widget-close', function () {
      self.close();
    });
    forwardStatus(this.link, this);
    this.emit('open');
    if (target === '_self' || target === '_parent') {
      this.win.location.href = url;
      return;
    }
    try {
      this.win.focus();
    } catch {
      /* ignore */
    }
    var poll = function () {
      if (self.closed) return;
      if (self.win.closed) self.close();
      else self.timer = window.setTimeout(poll, 100);
    };
    this.timer = window.setTimeout(poll, 100);
  };
  ChildWindow.prototype.requestClose = function () {
    this.close();
  };
  ChildWindow.prototype.close = function () {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) window.clearTimeout(this.timer);
    if (this.link) this.link.destroy();
    if (this.win && this.win !== window && this.win !== window.parent && !this.win.closed) {
      try {
        this.win.close();
      } catch {
        /* ignore */
      }
    }
    this.emit('close');
  };
  ChildWindow.prototype.getLink = function () {
    return this.link;
  };

  // ---- the widget ----------------------------------------------------------------------------------------------
  var config = assign({}, DEFAULTS);
  var initiated = false;
  var current = null; // the open Lightbox or ChildWindow

  function fail(message) {
    var e = new Error(message);
    e.name = 'XPayStationWidgetException';
    throw e;
  }

  /** Base URL of the pay station: this script's origin unless `host` names another server than Xsolla's. */
  function paystationOrigin() {
    var host = config.host;
    if (isEmpty(host) || host === '' || XSOLLA_HOSTS.indexOf(String(host).toLowerCase()) !== -1)
      return scriptOrigin;
    return /^https?:\/\//i.test(host) ? String(host).replace(/\/+$/, '') : 'https://' + host;
  }

  function paymentUrl() {
    if (config.payment_url) return config.payment_url;
    var query = assign({}, config.queryParams);
    if (!isEmpty(config.access_token)) query.access_token = config.access_token;
    else query.access_data = JSON.stringify(config.access_data);
    var url = paystationOrigin() + '/paystation2/?' + param(query);
    if (config.consentId) url += '&consentId=' + encodeURIComponent(config.consentId);
    return url;
  }

  function onBodyClick(event) {
    var el = event.target && event.target.closest ? event.target.closest('[' + ATTR_OPEN + ']') : null;
    if (el) api.open();
  }

  function init(options) {
    var run = function () {
      config = assign({}, DEFAULTS, options);
      if (!initiated) document.addEventListener('click', onBodyClick);
      initiated = true;
      trigger(eventTypes.INIT);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
    else run();
  }

  function open() {
    if (current) return;
    if (isEmpty(config.access_token) && isEmpty(config.access_data) && isEmpty(config.payment_url))
      fail('No access token or access data or payment URL given');
    if (!isEmpty(config.access_data) && typeof config.access_data !== 'object')
      fail('Invalid access data format');
    if (!initiated) fail('Initialize widget before opening');

    var inWindow = isMobile() && !config.iframeOnly;
    var kind = inWindow ? 'window' : 'lightbox';
    var container;
    var emit = function (name, data) {
      if (name === 'open') {
        trigger(eventTypes.OPEN);
        trigger(inWindow ? eventTypes.OPEN_WINDOW : eventTypes.OPEN_LIGHTBOX);
      } else if (name === 'close') {
        if (current === container) current = null;
        trigger(eventTypes.CLOSE);
        trigger(inWindow ? eventTypes.CLOSE_WINDOW : eventTypes.CLOSE_LIGHTBOX);
      } else if (name === 'status') {
        trigger(eventTypes.STATUS, data);
        var split = STATUS_EVENTS[((data || {}).paymentInfo || {}).status];
        if (split) trigger(split, data);
      } else if (name === 'user-country') {
        trigger(eventTypes.USER_COUNTRY, { user_country: (data || {}).user_country });
      } else trigger(name, data);
    };
    if (kind === 'window') container = new ChildWindow(config.childWindow, emit);
    else {
      var lightbox = assign({}, LIGHTBOX_DEFAULTS, isMobile() ? { width: '100%', contentMargin: '0px' } : {});
      container = new Lightbox(assign(lightbox, config.lightbox), emit);
    }
    current = container;
    container.open(paymentUrl());
  }

  function close() {
    if (current) current.close();
  }

  function sendMessage(command, data, targetOrigin) {
    var link = current && current.getLink();
    if (link) link.send(command, data, targetOrigin);
  }

  function onMessage(command, handler) {
    var link = current && current.getLink();
    if (link) link.on(command, handler);
  }

  var api = {
    init: init,
    open: open,
    close: close,
    on: on,
    off: off,
    sendMessage: sendMessage,
    onMessage: onMessage,
    eventTypes: eventTypes,
    version: VERSION,
  };
  return api;
});
