import type { RatsdeskHandlers } from '../../contract';
import type { SearchAllService } from './search-all-service';

/** The `search` domain's calls. */
export function searchHandlers(service: SearchAllService): RatsdeskHandlers['search'] {
  return {
    all: (input) => service.all(input),
  };
}
