import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportField, ImportJobView } from '../../../server/modules/imports/imports.schema';
import { api, apiRequest, queryString } from '../../lib/api-client';
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

export type UploadInput = { file: File; dryRun: boolean; mapping?: Partial<Record<ImportField, string>> };

/** Sends the file itself as the request body (the server streams it to disk); answers the queued job. */
export function useUploadImport() {
  const queryClient = useQueryClient();
  return async ({ file, dryRun, mapping }: UploadInput): Promise<ImportJob> => {
    const query = queryString({
      fileName: file.name,
      dryRun: dryRun ? 'true' : 'false',
      mapping: mapping && Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : undefined,
    });
    // Browsers often give a CSV file no type at all; the server decides the parser by this one.
    const body = new Blob([file], { type: file.name.toLowerCase().endsWith('.xlsx') ? XLSX_MIME : 'text/csv' });
    const job = await apiRequest<ImportJob>(`/imports/workers${query}`, { method: 'POST', blob: body });
    queryClient.setQueryData(importKeys.detail(job.id), job);
    await queryClient.invalidateQueries({ queryKey: importKeys.list });
    return job;
  };
}
