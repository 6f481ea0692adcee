/**
 * @module
 * The saved search calls of Discover (`/api/v1/saved-searches`): reads need a viewer, changes
 * an editor.
 */
import { apiDelete, apiGet, apiPost, apiPut } from '../../api/client';
import type { SavedSearch, SavedSearchBody } from './savedSearchView';

export const listSavedSearches = (signal?: AbortSignal) =>
  apiGet<SavedSearch[]>('/saved-searches', signal);
export const createSavedSearch = (body: SavedSearchBody) =>
  apiPost<SavedSearch>('/saved-searches', body);
export const replaceSavedSearch = (id: string, body: SavedSearchBody) =>
  apiPut<SavedSearch>(`/saved-searches/${encodeURIComponent(id)}`, body);
export const deleteSavedSearch = (id: string) =>
  apiDelete<{ id: string }>(`/saved-searches/${encodeURIComponent(id)}`);
