import type { RatsdeskHandlers } from '../../contract';
import type { RisService } from './ris-service';

/** The `ris` domain's calls, answered by RisService (views straight from its query repository). */
export function risHandlers(ris: RisService): RatsdeskHandlers['ris'] {
  return {
    recognize: async ({ text }) => ris.recognize(text),
    resolveLink: (link) => ris.resolveLink(link),
    addSystem: ({ systemUrl }) => ris.addSystem(systemUrl),
    bodies: () => ris.bodies(),
    organizations: async ({ bodyId }) => (await ris.queries()).organizations(bodyId),
    chooseOrganizations: ({ bodyId, organizationIds }) => ris.chooseOrganizations(bodyId, organizationIds),
    upcomingMeetings: async ({ limit }) => (await ris.queries()).upcomingMeetings(new Date(), limit),
    paper: ({ id }) => ris.paper(id),
    meeting: ({ id }) => ris.meeting(id),
    search: async ({ query, limit }) => (await ris.queries()).search(query, limit),
    sync: ({ bodyId }) => ris.syncBody(bodyId),
    makeMeetingOffline: ({ id }) => ris.makeMeetingOffline(id),
    offlinePack: () => ris.offlinePack(),
    file: ({ fileId }) => ris.file(fileId),
  };
}
