/**
 * Compares pop3scope's JSON output (src/model.ts: AnalysisResult) with the
 * generator's ground truth, item by item, so a fast wrong answer cannot pass.
 */

/**
 * @param {any} result the parsed `analyze --format json` output
 * @param {any} truth the FILE.truth.json object
 * @returns {{ item: string, pass: boolean, got: string, want: string }[]}
 */
export function checkAgainstTruth(result, truth) {
  /** @type {{ item: string, pass: boolean, got: string, want: string }[]} */
  const rows = [];
  const add = (/** @type {string} */ item, /** @type {unknown} */ got, /** @type {unknown} */ want) => {
    const g = JSON.stringify(got), w = JSON.stringify(want);
    rows.push({ item, pass: g === w, got: g, want: w });
  };
  const sessions = /** @type {any[]} */ (Array.isArray(result?.sessions) ? result.sessions : []);
  const t = truth.pop3;
  add('packets read', result?.captures?.[0]?.packets, truth.packets);
  const plain = sessions.filter((s) => s.server?.port === 110 && !s.notPop3);
  const tls = sessions.filter((s) => s.server?.port === 995);
  add('POP3 sessions on 110 (plain)', plain.filter((s) => s.transport === 'plain').length, t.sessions.plain);
  add('POP3S sessions on 995 (implicit-tls)', tls.filter((s) => s.transport === 'implicit-tls').length, t.sessions.implicitTls);

  /** @type {Record<string, number>} */
  const commands = {};
  for (const s of plain) {
    for (const e of s.transcript ?? []) {
      if (e.from === 'client' && typeof e.command === 'string' && e.command !== '*' && !e.sasl) commands[e.command] = (commands[e.command] ?? 0) + 1;
    }
  }
  const allKinds = [...new Set([...Object.keys(commands), ...Object.keys(t.commands)])].sort();
  for (const k of allKinds) add(`commands ${k}`, commands[k] ?? 0, t.commands[k] ?? 0);

  const sum = (/** @type {any[]} */ list, /** @type {'client'|'server'} */ d) => list.reduce((a, s) => a + (s.bytes?.[d] ?? 0), 0);
  add('bytes client->server on 110', sum(plain, 'client'), t.bytes.plain.client);
  add('bytes server->client on 110', sum(plain, 'server'), t.bytes.plain.server);
  add('bytes client->server on 995', sum(tls, 'client'), t.bytes.implicitTls.client);
  add('bytes server->client on 995', sum(tls, 'server'), t.bytes.implicitTls.server);

  const retrieved = plain.flatMap((s) => s.messages?.retrieved ?? []).filter((m) => m.command === 'RETR');
  add('messages retrieved', retrieved.length, t.messages.retrieved);
  add('octets retrieved', retrieved.reduce((a, m) => a + (m.octets ?? 0), 0), t.messages.retrievedOctets);
  add('messages deleted (not reset)', plain.reduce((a, s) => a + (s.messages?.deleted?.length ?? 0), 0), t.messages.deleted);
  add('deletions committed by QUIT', plain.reduce((a, s) => a + (s.messages?.committed ? s.messages.deleted?.length ?? 0 : 0), 0), t.messages.deletedCommitted);
  add('sessions committed', plain.filter((s) => s.messages?.committed).length, t.messages.committedSessions);

  const clear = plain.flatMap((s) => s.auth ?? []).filter((a) => !a.encrypted && a.secret !== null && a.secret !== undefined);
  add('cleartext password logins (attempts)', clear.length, t.logins.cleartextPasswordAttempts);
  add('cleartext password logins (successful)', clear.filter((a) => a.outcome === 'success').length, t.logins.cleartextPasswordSuccesses);
  return rows;
}

/**
 * Where the totals disagree, the sessions that do (matched by client address
 * and port), so a failure points at frames to open in Wireshark.
 * @param {any} result @param {any} truth @param {number} [max]
 * @returns {string[]}
 */
export function sessionDifferences(result, truth, max = 10) {
  const out = [];
  /** @type {Map<string, any>} */
  const byClient = new Map();
  for (const s of Array.isArray(result?.sessions) ? result.sessions : []) byClient.set(`${s.client?.ip}:${s.client?.port}`, s);
  for (const t of truth.sessions ?? []) {
    const s = byClient.get(t.client);
    if (!s) { out.push(`${t.client}: session missing from the output`); continue; }
    const retrieved = (s.messages?.retrieved ?? []).filter((/** @type {any} */ m) => m.command === 'RETR');
    const facts = {
      transport: [s.transport, t.transport],
      'bytes.client': [s.bytes?.client, t.bytes.client],
      'bytes.server': [s.bytes?.server, t.bytes.server],
      retrieved: [retrieved.length, t.retrieved],
      retrievedOctets: [retrieved.reduce((/** @type {number} */ a, /** @type {any} */ m) => a + (m.octets ?? 0), 0), t.retrievedOctets],
      deleted: [s.messages?.deleted?.length ?? 0, t.deleted],
      committed: [Boolean(s.messages?.committed), t.committed],
    };
    if (t.transport === 'plain') {
      const n = (s.transcript ?? []).filter((/** @type {any} */ e) => e.from === 'client' && e.command && !e.sasl).length;
      /** @type {any} */ (facts).commands = [n, Object.values(t.commands).reduce((/** @type {number} */ a, /** @type {any} */ b) => a + b, 0)];
    }
    for (const [k, [got, want]] of Object.entries(facts)) {
      if (got !== want) {
        let where = '';
        if (k === 'retrievedOctets') {
          const bad = retrieved.filter((/** @type {any} */ m) => m.listedOctets !== undefined && m.listedOctets !== m.octets);
          where = bad.map((/** @type {any} */ m) => ` (RETR ${m.number}: ${m.octets} octets, LIST said ${m.listedOctets}, frames ${JSON.stringify(m.frames)})`).join('');
        }
        out.push(`${t.client}: ${k} got ${JSON.stringify(got)}, want ${JSON.stringify(want)}${where}`);
      }
    }
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}
