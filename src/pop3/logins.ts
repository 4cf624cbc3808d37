/**
 * Logins of one POP3 session: USER/PASS, APOP and AUTH with its SASL exchange
 * (RFC 1939 §7, RFC 5034), the attempts and their outcomes, what CAPA and a
 * bare AUTH advertised, and the redaction of every secret they carry.
 */
import type { Timestamp } from '../capture/packet.js';
import type { AuthAttempt, TranscriptEntry } from '../model.js';
import { addMechanism, parseCapabilities, parseMechanismListing } from './capabilities.js';
import { lookupCommand, type CommandSpec } from './commands.js';
import { REDACTED, SECRET_LENGTH } from '../redaction.js';
import { SaslExchange } from './sasl.js';
import type { SessionEvents } from './session-events.js';


interface AuthInProgress {
  attempt: AuthAttempt;
  exchange: SaslExchange;
  /** Client responses seen so far. */
  rounds: number;
}

export class Logins {
  readonly attempts: AuthAttempt[] = [];
  capabilities: string[] | null = null;
  readonly saslMechanisms: string[] = [];
  private userAttempt: AuthAttempt | null = null;
  private authInProgress: AuthInProgress | null = null;

  constructor(
    private readonly showSecrets: boolean,
    private readonly frameLabel: (frame: number) => number | string,
    private readonly formatTime: (sec: number, nsec: number) => string,
    private readonly events: SessionEvents,
    /** Client responses followed per SASL exchange; later ones are counted (`sasl-rounds-dropped`). */
    private readonly maxSaslRounds: number,
  ) {}

  /** An AUTH exchange is open: the client's lines are SASL data, not commands. */
  inSasl(): boolean {
    return this.authInProgress !== null;
  }

  /**
   * Hides a command's secret argument (PASS, APOP's digest) in its transcript
   * entry, and the line's length with it, unless secrets are shown. `whole`: the
   * keyword was followed by something other than a space or a tab, so where the
   * secret starts is a guess: everything after the keyword is hidden.
   */
  redact(entry: TranscriptEntry, spec: CommandSpec, rest: string, args: string[], whole = false): void {
    const holds = rest !== '' && (whole || spec.secret === 'argument' || (spec.secret === 'second-argument' && args.length >= 2));
    if (!holds) return;
    entry.secret = true;
    if (this.showSecrets) return;
    entry.argument = whole || spec.secret === 'argument' ? REDACTED : `${args[0]} ${REDACTED}`;
    if (entry.length !== undefined) entry[SECRET_LENGTH] = entry.length;
    delete entry.length;
  }

  /** The attempt a login command starts as soon as it is sent (its reply settles it); undefined for other commands. */
  sent(
    keyword: string, rest: string, args: string[], frame: number, now: Timestamp, encrypted: boolean,
  ): AuthAttempt | undefined {
    switch (keyword) {
      case 'USER': {
        const a = this.newAttempt('USER', rest === '' ? null : rest, frame, now, encrypted);
        this.userAttempt = a;
        return a;
      }
      case 'PASS': {
        const a = this.userAttempt && this.userAttempt.secret === null && this.userAttempt.outcome !== 'failure'
          ? this.userAttempt : this.newAttempt('USER', null, frame, now, encrypted);
        if (a.frames[a.frames.length - 1] !== this.frameLabel(frame)) a.frames.push(this.frameLabel(frame));
        a.secret = this.secret(rest);
        a.encrypted = encrypted;
        this.userAttempt = null;
        return a;
      }
      case 'APOP': {
        const a = this.newAttempt('APOP', args[0] ?? null, frame, now, encrypted);
        a.secret = args[1] !== undefined ? this.secret(args[1]) : null;
        return a;
      }
      case 'AUTH': {
        if (args.length === 0) return undefined;
        const a = this.newAttempt(args[0]!.toUpperCase(), null, frame, now, encrypted);
        this.authInProgress = { attempt: a, exchange: new SaslExchange(args[0]!.toUpperCase()), rounds: 0 };
        if (args.length >= 2) this.feedSasl(args[1]!);
        return a;
      }
    }
    return undefined;
  }

  /** A client line inside an AUTH exchange: base64 data, or `*` to cancel (RFC 5034 §4). */
  saslLine(entry: TranscriptEntry, text: string, frame: number): void {
    const a = this.authInProgress!;
    // Past the cap the line is still a (redacted) SASL entry, but the attempt no longer grows.
    const kept = ++a.rounds <= this.maxSaslRounds;
    if (kept) addFrame(a.attempt, this.frameLabel(frame));
    else this.events.count('sasl-rounds-dropped');
    if (text.trim() === '*') {
      entry.command = '*';
      a.exchange.clientResponse('*');
      return;
    }
    entry.sasl = true;
    entry.secret = true;
    entry.argument = this.showSecrets ? text : REDACTED;
    if (!this.showSecrets && entry.length !== undefined) {
      entry[SECRET_LENGTH] = entry.length;
      delete entry.length;
    }
    if (kept) this.feedSasl(text);
  }

  /** A server `+ ` continuation; false when no AUTH exchange is open to take it. */
  challenge(text: string, frame: number): boolean {
    const a = this.authInProgress;
    if (!a) return false;
    if (a.rounds < this.maxSaslRounds) {
      a.exchange.serverChallenge(text);
      addFrame(a.attempt, this.frameLabel(frame));
    }
    return true;
  }

  /**
   * What a +OK / -ERR settles for a command's login attempt; true when it logged the user in.
   * `inAuthorization` is false when the server met the command in another state: then it was
   * no login attempt (dovecot answers `-ERR Unknown command: USER` after a login) and leaves
   * the attempts; the transcript keeps it, noted out of state.
   */
  replied(
    keyword: string, argCount: number, attempt: AuthAttempt | undefined, ok: boolean, entry: TranscriptEntry, frame: number,
    inAuthorization: boolean,
  ): boolean {
    let loggedIn = false;
    if (attempt && !inAuthorization) {
      this.withdraw(attempt);
    } else if (attempt) {
      addFrame(attempt, this.frameLabel(frame));
      if (!ok) {
        attempt.outcome = attempt.mechanism !== 'USER' && this.authInProgress?.exchange.cancelled ? 'cancelled' : 'failure';
        if (entry.code !== undefined) attempt.code = entry.code;
        attempt.text = entry.text ?? '';
      } else if (keyword !== 'USER') {
        attempt.outcome = 'success';
        loggedIn = true;
      }
    }
    if (keyword === 'AUTH' && argCount > 0) this.authInProgress = null;
    return loggedIn;
  }

  private withdraw(attempt: AuthAttempt): void {
    const i = this.attempts.lastIndexOf(attempt);
    if (i >= 0) this.attempts.splice(i, 1);
    if (this.userAttempt === attempt) this.userAttempt = null;
  }

  /** The lines of a CAPA listing. */
  capabilityListing(items: string[]): void {
    const caps = parseCapabilities(items);
    this.capabilities = caps.capabilities;
    let dropped = caps.mechanismsDropped;
    for (const m of caps.saslMechanisms) if (!addMechanism(this.saslMechanisms, m)) dropped++;
    if (dropped > 0) this.events.count('sasl-mechanisms-dropped', dropped);
  }

  /** The lines of a bare AUTH's mechanism listing. */
  mechanismListing(items: string[]): void {
    for (const m of parseMechanismListing(items)) if (!addMechanism(this.saslMechanisms, m)) this.events.count('sasl-mechanisms-dropped');
  }

  /** The session's user: the last one logged in, else the last one tried. */
  user(): string | null {
    // The last successful login's user, else the last one tried: one walk back, no copies
    // (asked for every message extracted, with up to thousands of attempts).
    let tried: string | null = null;
    for (let i = this.attempts.length - 1; i >= 0; i--) {
      const a = this.attempts[i]!;
      if (a.user === null) continue;
      if (a.outcome === 'success') return a.user;
      tried ??= a.user;
    }
    return tried;
  }

  private feedSasl(base64: string): void {
    const a = this.authInProgress!;
    a.exchange.clientResponse(base64);
    if (a.exchange.malformed) {
      this.events.count('sasl-malformed');
      a.exchange.malformed = false;
    }
    if (a.exchange.user !== null) a.attempt.user = a.exchange.user;
    if (a.exchange.secret !== null) a.attempt.secret = this.secret(a.exchange.secret);
  }

  private newAttempt(mechanism: string, user: string | null, frame: number, now: Timestamp, encrypted: boolean): AuthAttempt {
    const a: AuthAttempt = {
      mechanism, user, outcome: 'unknown', secret: null, encrypted,
      frames: [this.frameLabel(frame)], time: this.formatTime(now.sec, now.nsec),
    };
    if (this.events.room('auth', this.attempts.length)) this.attempts.push(a);
    return a;
  }

  private secret(value: string): string {
    return this.showSecrets ? value : REDACTED;
  }
}

/**
 * Adds a frame to an attempt's list unless it is there already. Frames arrive in
 * capture order, so a repeat can only be the last one: comparing with it keeps a
 * long exchange linear (searching the list made 40,000 rounds take 25 s).
 */
function addFrame(attempt: AuthAttempt, label: number | string): void {
  if (attempt.frames[attempt.frames.length - 1] !== label) attempt.frames.push(label);
}

/**
 * The secret-bearing command (PASS, APOP, AUTH) a line starts with when its
 * keyword is followed by something other than the space RFC 1939 asks for (a
 * tab, a NUL): servers accept such lines, so they are redacted whole.
 */
export function secretCommandBefore(text: string): CommandSpec | undefined {
  const m = /^([A-Za-z]{4})(?=[^A-Za-z0-9 \t-])/.exec(text);
  const spec = m ? lookupCommand(m[1]!) : undefined;
  return spec?.secret !== undefined ? spec : undefined;
}
