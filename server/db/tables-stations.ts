// Tables of the stations module (composed into Database in tables.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the module's tables land
export interface StationTables {}
