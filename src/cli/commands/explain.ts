/** `pop3scope explain NAME`: what a command, response code or rule means, with an example. */
import { Command } from 'commander';
import { lookupCommand } from '../../pop3/commands.js';
import { RESPONSE_CODES } from '../../pop3/response-codes.js';
import { RULES } from '../../rules/registry.js';
import { makeColors } from '../../report/colors.js';
import { commandLesson, ruleLesson, SECRET_NOTE } from '../../report/lesson.js';
import { EXAMPLES } from '../../report/explain-examples.js';
import { CliError } from '../exit-codes.js';
import type { Io } from '../io.js';

export function explainCommand(io: Io): Command {
  return new Command('explain')
    .description('explain a POP3 command (RETR), a response code (IN-USE) or a rule (cleartext-credentials)')
    .argument('<name>', 'command, response code or rule id')
    .option('--color', 'colours even when standard output is not a terminal')
    .option('--no-color', 'no colours')
    .action((name: string, o: { color?: boolean }) => {
      const c = makeColors({ color: o.color, stream: io.stdout as NodeJS.WriteStream });
      const key = name.replace(/^\[|\]$/g, '');
      const out: string[] = [];
      const spec = lookupCommand(key);
      if (spec) {
        const cmd = commandLesson(spec);
        out.push(`${c.bold(cmd.keyword)}  (${cmd.rfc})`, `  usage:  ${cmd.syntax}`, `  what:   ${cmd.what}`,
          `  valid in: ${cmd.states.join(', ')} state`, `  reply:  ${cmd.reply}`);
        if (cmd.secret) out.push(`  secret: ${SECRET_NOTE}`);
      }
      const code = RESPONSE_CODES.get(key.toUpperCase());
      if (code) out.push(`${c.bold(`[${code.code}]`)}  response code (${code.rfc})`, `  what:   ${code.meaning}`);
      const found = RULES.find((r) => r.id === key.toLowerCase());
      if (found) {
        const rule = ruleLesson(found);
        out.push(`${c.bold(rule.id)}  ${c.severity(found.defaultSeverity, rule.severity)}  ${rule.title}`,
          `  why:    ${rule.why}`, `  fix:    ${rule.fix}`);
        for (const [n, t] of Object.entries(found.thresholds ?? {})) out.push(`  threshold ${n} = ${t.default}: ${t.description}`);
        for (const ref of rule.references) out.push(`  see:    ${ref}`);
      }
      if (out.length === 0) {
        throw new CliError(`'${name}' is not a POP3 command, response code or rule; try \`pop3scope rules\``);
      }
      const example = EXAMPLES[key.toUpperCase()] ?? EXAMPLES[key.toLowerCase()];
      if (example) {
        out.push('  example:');
        for (const l of example) out.push(`    ${l.startsWith('C:') ? c.client(l) : c.server(l)}`);
      }
      io.stdout.write(out.join('\n') + '\n');
    });
}
