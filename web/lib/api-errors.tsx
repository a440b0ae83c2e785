import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api-client';

// Validation problems name fields like "body.name"; forms know them as "name".
function formFieldOf(field: string): string {
  return field.replace(/^(body|query|params)\./, '');
}

/**
 * Shows a failed request to the user: field messages go beside the form fields they belong to,
 * the problem's `detail` (already in the user's language) goes into a notification.
 */
export function useApiErrorReporter() {
  const { notification } = App.useApp();
  const { t } = useTranslation();

  return useCallback(
    (error: unknown, form?: FormInstance) => {
      if (!(error instanceof ApiError)) {
        notification.error({ title: t('errors.unexpected'), description: String(error) });
        return;
      }
      if (error.status === 0) {
        notification.error({ title: t('errors.network') });
        return;
      }
      if (error.status === 401) return; // the app is already on its way to the login page

      const known = new Set(Object.keys((form?.getFieldsValue() ?? {}) as object));
      const placed = error.errors.filter((e) => known.has(formFieldOf(e.field)));
      if (form && placed.length > 0) {
        form.setFields(placed.map((e) => ({ name: formFieldOf(e.field), errors: [e.message] })));
      }
      const unplaced = error.errors.filter((e) => !placed.includes(e));
      const description = [error.detail, ...unplaced.map((e) => `${formFieldOf(e.field)}: ${e.message}`)]
        .filter(Boolean)
        .join('\n');
      notification.error({
        title: error.title || t('errors.unexpected'),
        description: <span style={{ whiteSpace: 'pre-line' }}>{description}</span>,
      });
    },
    [notification, t],
  );
}
