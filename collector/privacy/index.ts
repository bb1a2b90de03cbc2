/** Privacy: retention of anonymous visitors, export and erase of one person, IP salts. */
export { hashIpWithSalt, IpSalts } from './ip-salts.ts';
export { findPerson, type Person, personRows } from './person.ts';
export {
  DEFAULT_RETENTION_DAYS,
  purgeExpired,
  retentionDays,
  startRetentionJob,
} from './retention.ts';
export { privacyRoutes } from './routes.ts';
export { personTables } from './tables.ts';
