/**
 * Example exchanges shown by `pop3scope explain`, written from the RFCs' own examples
 * (RFC 1939 §5–7, RFC 2449 §8, RFC 2595 §4, RFC 5034 §4). C: is the client, S: the server.
 */
export const EXAMPLES: Record<string, string[]> = {
  USER: ['C: USER mrose', 'S: +OK mrose is a real hoopy frood', 'C: PASS secret', 'S: +OK maildrop has 2 messages (320 octets)'],
  PASS: ['C: USER mrose', 'S: +OK', 'C: PASS secret', 'S: -ERR [AUTH] invalid password'],
  APOP: ['S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>', 'C: APOP mrose c4c9334bac560ecc979e58001b3e22fb', 'S: +OK maildrop has 1 message (369 octets)'],
  AUTH: ['C: AUTH PLAIN', 'S: + ', 'C: dGVzdAB0ZXN0AHRlc3Q=', 'S: +OK Maildrop locked and ready'],
  STLS: ['C: STLS', 'S: +OK Begin TLS negotiation', '   (TLS handshake; everything after it is encrypted)'],
  CAPA: ['C: CAPA', 'S: +OK Capability list follows', 'S: TOP', 'S: USER', 'S: SASL PLAIN', 'S: STLS', 'S: .'],
  STAT: ['C: STAT', 'S: +OK 2 320'],
  LIST: ['C: LIST', 'S: +OK 2 messages (320 octets)', 'S: 1 120', 'S: 2 200', 'S: .', 'C: LIST 2', 'S: +OK 2 200'],
  RETR: ['C: RETR 1', 'S: +OK 120 octets', 'S: <the message, lines starting with "." sent as "..">', 'S: .'],
  DELE: ['C: DELE 1', 'S: +OK message 1 deleted', 'C: QUIT', 'S: +OK dewey POP3 server signing off (1 message left)'],
  NOOP: ['C: NOOP', 'S: +OK'],
  RSET: ['C: DELE 1', 'S: +OK', 'C: RSET', 'S: +OK maildrop has 2 messages (320 octets)'],
  QUIT: ['C: QUIT', 'S: +OK dewey POP3 server signing off (maildrop empty)'],
  TOP: ['C: TOP 1 10', 'S: +OK', 'S: <the header, a blank line, the first 10 body lines>', 'S: .'],
  UIDL: ['C: UIDL', 'S: +OK', 'S: 1 whqtswO00WBw418f9t5JxYwZ', 'S: 2 QhdPYR:00WBw1Ph7x7', 'S: .'],
  'IN-USE': ['C: PASS secret', 'S: -ERR [IN-USE] Do you have another POP session running?'],
  'LOGIN-DELAY': ['C: PASS secret', 'S: -ERR [LOGIN-DELAY] wait longer between logins'],
  'SYS/TEMP': ['C: PASS secret', 'S: -ERR [SYS/TEMP] Mail store temporarily unavailable'],
  'SYS/PERM': ['C: PASS secret', 'S: -ERR [SYS/PERM] Mailbox corrupt, contact your administrator'],
  'cleartext-credentials': ['C: USER alice', 'S: +OK', 'C: PASS [redacted]   <- readable by anyone on the path'],
  'stls-rejected': ['C: STLS', 'S: -ERR TLS not available   <- the client should stop here, not log in'],
};
