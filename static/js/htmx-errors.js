/* One handler for every htmx request that does not end in a normal swap.

   - A refusal the page itself answers (a support button with its reason: 400, 409,
     422) is swapped in by htmx as usual (the responseHandling in base.html).
   - An error page (the response carries X-Error-In-Place: 403, 404, a stale form's
     400, 429, 500) is not swapped over the control: its message is shown in place,
     beside the control, with the same words as the page without JavaScript.
   - A server error (5xx) or no answer at all (network down) shows a message in place
     with a "try again" button that sends the same request again.
   The words come from data attributes on <body>, rendered in the page's language. */
(function () {
  "use strict";

  var boxes = new WeakMap();

  function words(name) {
    return document.body.getAttribute("data-msg-" + name) || "";
  }

  function removeBox(source) {
    var box = boxes.get(source);
    if (box) {
      box.remove();
      boxes.delete(source);
    }
  }

  function sourceOf(detail) {
    return (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
  }

  function inPlace(detail) {
    return Boolean(detail.xhr && detail.xhr.getResponseHeader("X-Error-In-Place"));
  }

  function place(detail, box) {
    var source = sourceOf(detail);
    var target = detail.target;
    if (source && source.isConnected && !source.contains(target)) {
      source.insertAdjacentElement("afterend", box);
    } else if (target && target.isConnected) {
      target.insertAdjacentElement("afterbegin", box);
    } else {
      document.getElementById("main").insertAdjacentElement("afterbegin", box);
    }
  }

  function show(detail, content, retry) {
    var source = sourceOf(detail);
    removeBox(source);
    var box = document.createElement("div");
    box.className = "htmx-error notice notice--error";
    box.setAttribute("role", "alert");
    if (content && content.childNodes.length) {
      box.appendChild(content);
    } else {
      var p = document.createElement("p");
      p.textContent = words(retry === "network" ? "network-error" : retry ? "server-error" : "request-error");
      box.appendChild(p);
    }
    if (retry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "utrecht-button utrecht-button--secondary-action htmx-error__retry";
      button.textContent = words("retry");
      button.addEventListener("click", function () {
        var config = detail.requestConfig;
        button.disabled = true;
        window.htmx.ajax(config.verb, config.path, {source: source, target: detail.target});
      });
      box.appendChild(button);
    }
    place(detail, box);
    boxes.set(source, box);
  }

  // The message part of an error page the server sent for htmx (errors/_in_place.html).
  function parsed(html) {
    var template = document.createElement("template");
    template.innerHTML = html || "";
    var fragment = document.createDocumentFragment();
    var message = template.content.querySelector("[data-error-message]");
    if (message) {
      while (message.firstChild) {
        fragment.appendChild(message.firstChild);
      }
    }
    return fragment;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!inPlace(event.detail)) {
      return;
    }
    var xhr = event.detail.xhr;
    event.detail.shouldSwap = false;
    show(event.detail, parsed(xhr.responseText), xhr.status >= 500 ? "server" : null);
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (inPlace(event.detail)) {
      return; // shown before the swap
    }
    var status = event.detail.xhr.status;
    show(event.detail, null, status >= 500 ? "server" : null);
  });

  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail, null, "network");
  });

  // A good answer to a new request from the same control ends its message.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && !inPlace(event.detail)) {
      removeBox(sourceOf(event.detail));
    }
  });
})();
