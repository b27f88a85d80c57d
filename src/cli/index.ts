// The `qmfg` command. Every subcommand loads its implementation lazily so that light commands
// (analyze, plan, demo-data) start without loading the server, the database drivers or React.
import { Command } from 'commander';
import { CliError } from './errors.js';

const program = new Command('qmfg')
  .description('qmfg — production operations: scheduling, tracking and OEE for a regulated plant')
  .showHelpAfterError();

program
  .command('serve')
  .description('migrate, seed the demo plant when the database is empty, and serve the web app and API')
  .option('--port <port>', 'port (default: PORT or 3000)')
  .option('--no-seed', 'do not seed the demo plant into an empty database')
  .action(async (opts) => (await import('./serve.js')).serveCommand(opts));

program
  .command('simulate')
  .description('the living demo as its own process: cycles for the board\'s lots on each machine, published over MQTT (QMFG_MQTT_URL) to a running server')
  .option('--machines <keys>', 'comma-separated machine keys (default: the iTrak lines)')
  .option('--speed <factor>', 'simulated time runs this many times faster', '1')
  .option('--seed <n>', 'random seed', '1')
  .option('--timeout <seconds>', 'pause/resume: how long to wait for the simulator to answer', '5')
  .argument('[action]', '`pause <machine>` or `resume <machine>`: ask the simulator running that machine, over MQTT; none: run the simulator')
  .argument('[machine]', 'machine key for pause/resume, e.g. line6')
  .action(async (action: string | undefined, machine: string | undefined, opts) => {
    if (action === undefined) return (await import('./simulate.js')).simulateCommand(opts);
    if (action !== 'pause' && action !== 'resume') throw new CliError(`simulate: unknown action '${action}' (pause <machine> or resume <machine>, or none to run the simulator)`);
    if (!machine) throw new CliError(`simulate ${action}: name the machine, e.g. \`qmfg simulate ${action} line6\``);
    return (await import('./simulate-control.js')).simulateControlCommand(action, machine, opts);
  });

program
  .command('migrate')
  .description('bring the database (DATABASE_URL) to the latest schema')
  .action(async () => (await import('./migrate.js')).migrateCommand());

program
  .command('seed')
  .description('seed the demo plant (process groups, machines, products, calendar, sensor data) into an empty database')
  .option('--days <n>', 'days of synthetic sensor data per demo machine', '3')
  .action(async (opts) => (await import('./seed.js')).seedCommand(opts));

program
  .command('demo-data')
  .description('write synthetic sensor logs in the camera format (one file per plant-local day)')
  .requiredOption('--machine <key>', 'machine key, e.g. line7')
  .option('--days <n>', 'number of days', '7')
  .option('--end <date>', 'last day (YYYY-MM-DD, plant-local); default: today')
  .option('--seed <n>', 'random seed (same seed, same files)', '1')
  .requiredOption('--out <folder>', 'output folder (files go to <folder>/PRYYYYMMDD.txt)')
  .action(async (opts) => (await import('./demo-data.js')).demoDataCommand(opts));

program
  .command('import')
  .description('import camera logs (files, or folders walked recursively) into the database; re-runs import only what is new')
  .argument('<paths...>', 'sensor files or folders')
  .requiredOption('--machine <key>', 'machine key, e.g. line7')
  .option('--growing', 'the files may still be written: leave an incomplete last line for the next run')
  .option('--json', 'print the per-file results as JSON')
  .action(async (paths, opts) => (await import('./import.js')).importCommand(paths, opts));

program
  .command('analyze')
  .description('OEE and stats of sensor files, without a server or database')
  .argument('<files...>', 'sensor files (camera CSV)')
  .requiredOption('--machine <key>', 'machine key, e.g. line8')
  .option('--from <local>', 'window start, plant-local, e.g. 2022-10-11T06:00')
  .option('--to <local>', 'window end, plant-local')
  .option('--profile <name>', 'OEE profile', 'itrak-legacy')
  .option('--tz <zone>', 'plant time zone (default: QMFG_TZ)')
  .option('--json', 'print JSON')
  .action(async (files, opts) => (await import('./analyze.js')).analyzeCommand(files, opts));

program
  .command('monitor')
  .description('condition monitoring of a measurement channel in files (.lvm, CSV/TSV): control chart of subgroup means, run rules, EWMA drift, capability — without a server or database')
  .argument('<files...>', 'measurement files (.lvm, .csv, .tsv, .txt)')
  .requiredOption('--channel <name>', 'the channel: its name in the file (LVM heading, CSV column or mapped channel key), any case')
  .option('--lsl <x>', 'lower specification limit')
  .option('--usl <x>', 'upper specification limit')
  .option('--baseline-from <local>', 'baseline start for the control limits, plant-local, e.g. 2026-10-05T06:00 (default: all data)')
  .option('--baseline-to <local>', 'baseline end, plant-local')
  .option('--subgroup <duration>', 'subgroup length: 5m, 30s, 1h', '5m')
  .option('--rules <set>', 'run rules: we (Western Electric) or nelson', 'we')
  .option('--tz <zone>', 'plant time zone (default: QMFG_TZ)')
  .option('--mapping <file>', 'CSV column mapping (JSON, see README "Measurement channels")')
  .option('--json', 'print JSON')
  .action(async (files, opts) => (await import('./monitor.js')).monitorCommand(files, opts));

program
  .command('forecast')
  .description('backtest lot finish forecasts (standard, observed, recommended) on sensor files, as of given moments')
  .argument('<files...>', 'sensor files (camera CSV) of the machine')
  .requiredOption('--machine <key>', 'machine key, e.g. line8')
  .requiredOption('--lot <lot>', 'lot number, e.g. 159070')
  .requiredOption('--quantity <n>', 'ordered quantity of the lot')
  .requiredOption('--standard-rate <n>', 'standard (routing) rate, units per hour')
  .requiredOption('--at <local>', 'as-of moment, plant-local, e.g. 2022-10-11T14:30 (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
  .option('--calendar <file>', 'scenario JSON (its calendar) or a calendar JSON; default: the demo plant week')
  .option('--tz <zone>', 'plant time zone (default: QMFG_TZ)')
  .option('--json', 'print JSON')
  .action(async (files, opts) => (await import('./forecast.js')).forecastCommand(files, opts));

program
  .command('plan')
  .description('forecast a self-contained scenario file with the scheduler and print the plan; --optimize: suggest a better one (less tardiness, then fewer changeover hours, then an earlier last finish)')
  .argument('<scenario>', 'scenario JSON file')
  .option('--optimize', 'run the optimiser and print its suggestion with the KPIs before → after')
  .option('--time-limit <duration>', 'optimiser budget: 500ms, 5s, 2m or seconds (default 5s; none with --iterations alone)')
  .option('--seed <n>', 'seed of the optimiser, default 1 (same seed and --iterations, same plan)')
  .option('--iterations <n>', 'stop the optimiser after this many iterations (reproducible)')
  .option('--non-disruptive', 'penalise moving operations that are already queued')
  .option('--json', 'print JSON')
  .action(async (file, opts) => (await import('./plan.js')).planCommand(file, opts));

program
  .command('export')
  .description('write the current database state (plant, calendar, open work orders; now = current time) as a `qmfg plan` scenario')
  .option('--scenario', 'export the planning scenario')
  .option('--out <file>', 'write to this file instead of standard output')
  .action(async (opts) => (await import('./export.js')).exportCommand(opts));

const measurements = program.command('measurements').description('measurement channels (film thickness, seal temperature, vacuum …)');
measurements
  .command('import')
  .description('import measurement files (.lvm, .csv, .tsv, .txt; folders walked recursively); re-runs store only what is new')
  .argument('<paths...>', 'measurement files or folders')
  .requiredOption('--machine <key>', 'machine key, e.g. line7')
  .option('--channel <key>', 'send every value of one-column files to this channel (in wider files: store only this channel)')
  .option('--mapping <file>', 'CSV column mapping (JSON, see README "Measurement channels")')
  .option('--growing', 'the files may still be written: leave an incomplete last line for the next run')
  .option('--json', 'print the per-file results as JSON')
  .action(async (paths, opts) => (await import('./measurements.js')).measurementsImportCommand(paths, opts));

const audit = program.command('audit').description('the audit trail');
audit
  .command('verify')
  .description('verify the audit trail (keyed chain, anchor, checkpoints): exit 0 and the entry count when intact, exit 1 and the first bad entry otherwise')
  .option('--json', 'print JSON')
  .action(async (opts) => (await import('./audit.js')).auditVerifyCommand(opts));

program
  .command('record')
  .description('lot records (eDHR): `record verify <file>` checks an export (JSON, or a PDF\'s stated hash) against itself and the database')
  .argument('<action>', 'verify')
  .argument('<file>', 'a lot-record export (.json or .pdf)')
  .action(async (action: string, file: string) => {
    if (action !== 'verify') throw new CliError(`record: unknown action '${action}' (record verify <file>)`);
    return (await import('./record-verify.js')).recordVerifyCommand(file);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Expected failures print one line naming what is wrong; anything else is a bug and keeps its stack.
  if (error instanceof CliError) {
    console.error(`qmfg: ${error.message}`);
    process.exit(error.exitCode);
  }
  throw error;
}
