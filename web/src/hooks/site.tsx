// The site (name, time zone) is needed by the header and by every screen that shows plant time.
import { createContext, useContext, type ReactNode } from 'react';
import type { Site } from '../../../src/features/plant/schemas.js';
import { getSite } from '../api/plant.js';
import { useResource, type Resource } from './use-resource.js';

const SiteContext = createContext<Resource<Site> | null>(null);

export function SiteProvider({ children }: { children: ReactNode }) {
  const site = useResource(getSite, [], ['plant']);
  return <SiteContext.Provider value={site}>{children}</SiteContext.Provider>;
}

export function useSite(): Resource<Site> {
  const site = useContext(SiteContext);
  if (!site) throw new Error('useSite must be used inside <SiteProvider>');
  return site;
}
