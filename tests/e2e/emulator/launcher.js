#!/usr/bin/env node
// Starts the telegram-test-api Bot API emulator on 127.0.0.1 and a free port, made compatible with
// python-telegram-bot 22, and prints {"port": N} as its first line of stdout.
//
// Why a launcher: the package has no start script, treats port 0 as 9000, and `localhost` may resolve
// to IPv6 only. Its four incompatibilities with PTB 22 are patched here, without touching node_modules:
//   (a) getMe lacks `is_bot`                  -> PTB's Bot.initialize fails with a TypeError
//   (b) sendMessage's `date` is milliseconds  -> "year out of range" when PTB parses the Message
//   (c) callback queries lack `chat_instance` -> the update cannot be parsed
//   (d) editMessageText & co. return `result: null` -> AttributeError in PTB; they now return `true`
// and a fifth, found with this bot: sendMessage echoes the form-encoded request as its result, so
//   (e) `link_preview_options` comes back as a JSON *string* -> TypeError when PTB parses the Message
'use strict';

const http = require('http');
const sendResultModule = require('telegram-test-api/lib/modules/sendResult');
const TelegramServer = require('telegram-test-api');

const HOST = '127.0.0.1';
const STORE_TIMEOUT_S = 3600;
// Object-valued sendMessage parameters that the emulator echoes back still JSON-encoded.
const JSON_STRING_FIELDS = ['link_preview_options', 'reply_parameters', 'entities']; // keep messages for an hour: the default 60 s could drop them mid-test

function botMethod(req) {
  const match = /^\/bot[^/]+\/(\w+)$/.exec(req.path);
  return match ? match[1] : null;
}

function fixResult(method, payload) {
  if (!payload || typeof payload !== 'object' || payload.ok !== true) {
    return payload;
  }
  const fixed = { ...payload };
  if (method === 'getMe') {
    fixed.result = { is_bot: true, ...payload.result }; // (a)
  } else if (method === 'sendMessage' && payload.result) {
    const result = { ...payload.result };
    if (result.date > 1e11) {
      result.date = Math.floor(result.date / 1000); // (b)
    }
    for (const key of JSON_STRING_FIELDS) {
      if (typeof result[key] === 'string') {
        result[key] = JSON.parse(result[key]); // (e)
      }
    }
    fixed.result = result;
  } else if (payload.result === null || payload.result === undefined) {
    fixed.result = true; // (d): editMessageText, editMessageReplyMarkup, answerCallbackQuery, setWebhook, ...
  }
  return fixed;
}

// (a), (b), (d): wrap the response helper every route uses. The server reads this export when it is
// constructed, so replacing it first is enough.
const originalSendResult = sendResultModule.sendResult;
sendResultModule.sendResult = (req, res, next) => {
  originalSendResult(req, res, () => {
    const send = res.sendResult;
    const method = botMethod(req);
    res.sendResult = (payload) => {
      if (method === null) {
        return send(payload);
      }
      if (payload && typeof payload.then === 'function') {
        return send(payload.then((value) => fixResult(method, value)));
      }
      return send(fixResult(method, payload));
    };
    next();
  });
};

// (c): add chat_instance to every callback query handed to the bot (polling and webhook alike).
const originalFormatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  const formatted = originalFormatUpdate(update);
  const query = formatted.callback_query;
  if (query && !query.chat_instance) {
    const chat = query.message && query.message.chat;
    query.chat_instance = String(chat ? chat.id : query.from.id);
  }
  return formatted;
};

const server = new TelegramServer({ host: HOST, port: 1, storeTimeout: STORE_TIMEOUT_S });

// One addition for load tests: POST /getUnreadBotMessages {token} returns (and marks read) the unread
// bot messages of *all* chats, so one poller can serve many simulated users instead of one per chat.
function unreadBotMessages(token) {
  const items = server.storage.botMessages.filter((item) => item.botToken === token && !item.isRead);
  items.forEach((item) => {
    item.isRead = true; // eslint-disable-line no-param-reassign
  });
  return items;
}

function handle(req, res) {
  if (req.method !== 'POST' || req.url !== '/getUnreadBotMessages') {
    server.webServer(req, res);
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    let token;
    try {
      ({ token } = JSON.parse(body));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, description: `bad JSON: ${error}` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result: unreadBotMessages(token) }));
  });
}

// Listen ourselves on port 0 (the package's start() would turn 0 into 9000).
server.server = http.createServer(handle);
server.server.listen(0, HOST, () => {
  server.started = true;
  server.cleanUpDaemon();
  process.stdout.write(`${JSON.stringify({ port: server.server.address().port })}\n`);
});
server.server.on('error', (error) => {
  process.stderr.write(`emulator failed: ${error}\n`);
  process.exit(1);
});

const stop = () => {
  server.server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
