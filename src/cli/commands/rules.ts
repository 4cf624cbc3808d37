/** `pop3scope rules`: every rule with its default severity and thresholds. */
import { Command, Option } from 'commander';
import { RULES } from '../../rules/registry.js';
import { makeColors } from '../../report/colors.js';
import type { Io } from '../io.js';

export function rulesCommand(io: Io): Command {
  return new Command('rules')
    .description('list every rule with its id, default severity and thresholds')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--color', 'colours even when standard output is not a terminal')
    .option('--no-color', 'no colours')
    .action((o: { format: string; color?: boolean }) => {
      if (o.format === 'json') {
        const rows = RULES.map((r) => ({
          id: r.id, title: r.title, severity: r.defaultSeverity, thresholds: r.thresholds ?? {},
          rationale: r.rationale, remediation: r.remediation, references: r.references,
        }));
        io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      const c = makeColors({ color: o.color, stream: io.stdout as NodeJS.WriteStream });
      const idWidth = RULES.reduce((m, r) => Math.max(m, r.id.length), 0);
      for (const r of RULES) {
        io.stdout.write(`${c.bold(r.id.padEnd(idWidth))}  ${c.severity(r.defaultSeverity, r.defaultSeverity.padEnd(8))}  ${r.title}\n`);
        for (const [name, t] of Object.entries(r.thresholds ?? {})) {
          io.stdout.write(`${' '.repeat(idWidth + 12)}${c.dim(`threshold ${name} = ${t.default}: ${t.description}`)}\n`);
        }
      }
      io.stdout.write(`\n${RULES.length} rules. \`pop3scope explain RULE\` tells why one matters and how to fix it; --policy FILE changes them.\n`);
    });
}
