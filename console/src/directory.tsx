import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Channel, Location, LocationGroup, Page } from './api/types.ts';
import { useSession } from './session.tsx';
import { useLoad } from './ui/load.ts';

/** Locations, groups and channels by ID, loaded once per sign-in (names for every page). */
export interface Directory {
  locations: Location[];
  groups: LocationGroup[];
  channels: Channel[];
  locationName: (id: string | null | undefined) => string;
  channelName: (id: string | null | undefined) => string;
  /** Loads everything again (after a location, group or channel changed), for every page. */
  reload: () => void;
}

const DirectoryContext = createContext<Directory>({
  locations: [],
  groups: [],
  channels: [],
  locationName: (id) => id ?? '—',
  channelName: (id) => id ?? '—',
  reload: () => {},
});

export const useDirectory = () => useContext(DirectoryContext);

export function DirectoryProvider({ children }: { children: ReactNode }) {
  const { api } = useSession();
  const { data, reload } = useLoad(async () => {
    const [locations, groups, channels] = await Promise.all([
      api.get<Page<Location>>('/v1/locations', { limit: 200 }),
      api.get<Page<LocationGroup>>('/v1/location-groups', { limit: 200 }),
      api.get<Page<Channel>>('/v1/channels', { limit: 200 }),
    ]);
    return { locations: locations.data, groups: groups.data, channels: channels.data };
  }, [api]);
  const value = useMemo<Directory>(() => {
    const locations = data?.locations ?? [];
    const channels = data?.channels ?? [];
    const byLocation = new Map(locations.map((l) => [l.id, l.name]));
    const byChannel = new Map(channels.map((c) => [c.id, c.name]));
    return {
      locations,
      groups: data?.groups ?? [],
      channels,
      locationName: (id) => (id ? (byLocation.get(id) ?? id) : '—'),
      channelName: (id) => (id ? (byChannel.get(id) ?? id) : '—'),
      reload,
    };
  }, [data, reload]);
  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}

/** The locations whose work this key may do: a fulfillment key's own, everyone else's all. */
export function useWorkLocations() {
  const { me } = useSession();
  const { locations } = useDirectory();
  return me.role === 'fulfillment' ? locations.filter((l) => me.location_ids.includes(l.id)) : locations;
}

/** The options of a channel `<select>`: `none` (value "") first, then every channel by name. */
export function ChannelOptions({ none }: { none: string }) {
  const { channels } = useDirectory();
  return (
    <>
      <option value="">{none}</option>
      {channels.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </>
  );
}

/** A fieldset of a checkbox per location, for the locations a fulfillment person or key works at. */
export function LocationChecks({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const { locations } = useDirectory();
  return (
    <fieldset className="inline">
      <legend>Locations</legend>
      {locations.map((l) => (
        <label key={l.id} className="check">
          <input
            type="checkbox"
            checked={value.includes(l.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, l.id] : value.filter((id) => id !== l.id))}
          />
          {l.name}
        </label>
      ))}
    </fieldset>
  );
}
