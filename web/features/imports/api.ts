import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportField, ImportJobView } from '../../../server/modules/imports/imports.schema';
import { ApiError, api, queryString } from '../../lib/api-client';
import { currentLocale } from '../../lib/i18n';
import { meQueryKey, type Me } from '../auth/api';
import type { WorkerFilters } from '../workers/api';

export type ImportJob = ImportJobView;
export type { ImportField };

export const IMPORT_FIELDS: readonly ImportField[] = ['name', 'phone', 'platform', 'platformWorkerId', 'workType', 'vehicle', 'city', 'status'];
export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ['name', 'phone', 'platform', 'platformWorkerId', 'city'];
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Every import query lives under this prefix.
const IMPORTS = 'imports';
export const importKeys = {
  all: [IMPORTS] as const,
  list: [IMPORTS, 'list'] as const,
  detail: (id: number) => [IMPORTS, 'detail', id] as const,
};

export const isRunning = (job: Pick<ImportJob, 'status'> | undefined) => job?.status === 'queued' || job?.status === 'running';

/** The user's recent import jobs, newest first; refreshed while any of them is still running. */
export function useImportJobs() {
  return useQuery({
    queryKey: importKeys.list,
    queryFn: ({ signal }) => api.get<{ items: ImportJob[] }>('/imports', { limit: 50 }, signal),
    refetchInterval: (query) => (query.state.data?.items.some(isRunning) ? 2000 : false),
  });
}

/** One job, asked again every second while it is queued or running. */
export function useImportJob(id: number | null) {
  return useQuery({
    queryKey: importKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<ImportJob>(`/imports/${id}`, {}, signal),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data === undefined || isRunning(query.state.data) ? 1000 : false),
  });
}

export const errorReportUrl = (id: number) => `/api/v1/imports/${id}/errors.csv`;

/** Where the worker list with these filters downloads as a file. */
export const workersExportUrl = (format: 'csv' | 'xlsx', filters: WorkerFilters) => `/api/v1/workers/export.${format}${queryString(filters)}`;

function csrfToken(me: Me | null | undefined): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'convoy_csrf') return decodeURIComponent(rest.join('='));
  }
  return me?.csrfToken ?? null;
}

export type UploadInput = { file: File; dryRun: boolean; mapping?: Partial<Record<ImportField, string>> };

/**
 * Sends the file itself as the request body (the server streams it to disk), which the JSON
 * helper cannot do; answers the queued job.
 */
export function useUploadImport() {
  const queryClient = useQueryClient();
  return async ({ file, dryRun, mapping }: UploadInput): Promise<ImportJob> => {
    const xlsx = file.name.toLowerCase().endsWith('.xlsx');
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      'Accept-Language': currentLocale(),
      'Content-Type': xlsx ? XLSX_MIME : 'text/csv',
    };
    const token = csrfToken(queryClient.getQueryData<Me | null>(meQueryKey));
    if (token) headers['X-CSRF-Token'] = token;
    const query = queryString({
      fileName: file.name,
      dryRun: dryRun ? 'true' : 'false',
      mapping: mapping && Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined,
    });
    let response: Response;
    try {
      response = await fetch(`/api/v1/imports/workers${query}`, { method: 'POST', headers, body: file, credentials: 'same-origin' });
    } catch {
      throw new ApiError({ status: 0, code: 'NETWORK', detail: '' });
    }
    if (!response.ok) {
      let problem: Partial<ApiError> = {};
      try {
        problem = (await response.json()) as Partial<ApiError>;
      } catch {
        problem = { title: response.statusText };
      }
      throw new ApiError({ ...problem, status: response.status });
    }
    const job = (await response.json()) as ImportJob;
    queryClient.setQueryData(importKeys.detail(job.id), job);
    await queryClient.invalidateQueries({ queryKey: importKeys.list });
    return job;
  };
}
