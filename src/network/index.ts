export { networkRoutes } from './routes.ts';
export {
  createLocation,
  findLocation,
  getLocation,
  listLocations,
  updateLocation,
  isValidTimeZone,
} from './locations.ts';
export type { Location } from './locations.ts';
export { createLocationGroup, getLocationGroup, listLocationGroups } from './location-groups.ts';
export type { LocationGroup } from './location-groups.ts';
export { createChannel, findChannel, getChannel, listChannels, setChannelMode } from './channels.ts';
export type { Channel, ChannelMode } from './channels.ts';
export { resolveLocationScope } from './scope.ts';
export { namedIdSql, resolveChannelId, resolveLocationId, resolveNamedId } from './resolve.ts';
export type { NamedTable } from './resolve.ts';
export type { LocationScope } from './scope.ts';
export * from './schemas.ts';
