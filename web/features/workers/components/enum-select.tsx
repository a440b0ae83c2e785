import { Select } from 'antd';
import { useTranslation } from 'react-i18next';

type Props<T extends string> = {
  /** The locale group that names each value, e.g. `workers.vehicle`. */
  labels: string;
  values: readonly T[];
  value?: T;
  onChange?: (value: T) => void;
  id?: string;
  testId?: string;
};

/** One of a fixed set of codes, each shown by its name in the current language. */
export function EnumSelect<T extends string>({ labels, values, value, onChange, id, testId }: Props<T>) {
  const { t } = useTranslation();
  return (
    <Select<T>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      placeholder={t('workers.form.choose')}
      options={values.map((code) => ({ value: code, label: t(`${labels}.${code}`) }))}
      data-testid={testId}
    />
  );
}
