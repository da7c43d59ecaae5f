// Every job kind, so that servers and workers know them all. One import per feature.
import '../workflows/workflow.job.js';
import '../feedback/retag.job.js';
import '../imports/import.job.js';
import '../exports/export.job.js';
