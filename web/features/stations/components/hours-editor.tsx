import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Input, Segmented, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OpeningHours } from '../api';
import { type HoursException, isOvernight, type TimeRange, WEEKDAYS, type Weekday } from '../hours';

const TIME_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const MAX_RANGES = 6;

type RangesProps = { ranges: readonly TimeRange[]; onChange: (ranges: TimeRange[]) => void; testId: string };

/** A day's ranges as HH:MM pairs; one that closes at or before it opens is marked as ending the next day. */
function RangesEditor({ ranges, onChange, testId }: RangesProps) {
  const { t } = useTranslation();
  const set = (index: number, field: keyof TimeRange, value: string) => onChange(ranges.map((r, i) => (i === index ? { ...r, [field]: value } : r)));
  return (
    <Flex vertical gap={4} data-testid={testId}>
      {ranges.length === 0 && <Typography.Text type="secondary">{t('stations.hours.closedAllDay')}</Typography.Text>}
      {ranges.map((range, index) => {
        const wellFormed = TIME_PATTERN.test(range.opens) && TIME_PATTERN.test(range.closes);
        const invalid = wellFormed && (range.opens === range.closes || range.opens === '24:00');
        return (
          <Flex key={index} gap={6} align="center" wrap data-testid="hours-range">
            <Input
              value={range.opens}
              onChange={(e) => set(index, 'opens', e.target.value.trim())}
              maxLength={5}
              placeholder="08:00"
              aria-label={t('stations.hours.opens')}
              status={TIME_PATTERN.test(range.opens) && !invalid ? undefined : 'error'}
              style={{ width: 76 }}
              data-testid="hours-opens"
            />
            <span>–</span>
            <Input
              value={range.closes}
              onChange={(e) => set(index, 'closes', e.target.value.trim())}
              maxLength={5}
              placeholder="20:00"
              aria-label={t('stations.hours.closes')}
              status={TIME_PATTERN.test(range.closes) && !invalid ? undefined : 'error'}
              style={{ width: 76 }}
              data-testid="hours-closes"
            />
            {wellFormed && !invalid && isOvernight(range) && (
              <Tag color="purple" data-testid="hours-overnight">
                {t('stations.hours.nextDay')}
              </Tag>
            )}
            <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('stations.hours.removeRange')} onClick={() => onChange(ranges.filter((_, i) => i !== index))} />
          </Flex>
        );
      })}
      {ranges.length < MAX_RANGES && (
        <Button
          type="dashed"
          size="small"
          icon={<PlusOutlined />}
          style={{ alignSelf: 'flex-start' }}
          onClick={() => onChange([...ranges, ranges.length === 0 ? { opens: '08:00', closes: '20:00' } : { opens: '', closes: '' }])}
          data-testid="hours-add-range"
        >
          {t('stations.hours.addRange')}
        </Button>
      )}
    </Flex>
  );
}

type ExceptionProps = { exception: HoursException; index: number; onChange: (e: HoursException) => void; onRemove: () => void };

function ExceptionEditor({ exception, index, onChange, onRemove }: ExceptionProps) {
  const { t } = useTranslation();
  const closed = exception.ranges.length === 0;
  const datesBad = !exception.from || !exception.to || exception.from > exception.to;
  return (
    <Card size="small" data-testid="hours-exception" data-index={index}>
      <Flex vertical gap={8}>
        <Flex gap={8} align="center" wrap>
          <Input
            type="date"
            value={exception.from}
            onChange={(e) => onChange({ ...exception, from: e.target.value, to: exception.to && exception.to >= e.target.value ? exception.to : e.target.value })}
            aria-label={t('stations.hours.from')}
            status={datesBad ? 'error' : undefined}
            style={{ width: 160 }}
            data-testid="exception-from"
          />
          <span>{t('stations.hours.to')}</span>
          <Input
            type="date"
            value={exception.to}
            onChange={(e) => onChange({ ...exception, to: e.target.value })}
            aria-label={t('stations.hours.to')}
            status={datesBad ? 'error' : undefined}
            style={{ width: 160 }}
            data-testid="exception-to"
          />
          <Segmented<'closed' | 'special'>
            value={closed ? 'closed' : 'special'}
            onChange={(mode) => onChange({ ...exception, ranges: mode === 'closed' ? [] : [{ opens: '10:00', closes: '16:00' }] })}
            options={[
              { value: 'closed', label: t('stations.hours.exceptionClosed') },
              { value: 'special', label: t('stations.hours.exceptionSpecial') },
            ]}
            data-testid="exception-mode"
          />
          <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('stations.hours.removeException')} onClick={onRemove} />
        </Flex>
        <Input
          value={exception.note ?? ''}
          onChange={(e) => onChange({ ...exception, note: e.target.value || undefined })}
          maxLength={100}
          placeholder={t('stations.hours.notePlaceholder')}
          data-testid="exception-note"
        />
        {!closed && <RangesEditor ranges={exception.ranges} onChange={(ranges) => onChange({ ...exception, ranges })} testId="exception-ranges" />}
      </Flex>
    </Card>
  );
}

type Props = { value?: OpeningHours; onChange?: (value: OpeningHours) => void };

/**
 * Weekly hours per weekday (several ranges a day, overnight allowed) and dated exceptions: a holiday
 * or a temporary closure (closed all day) or special hours. The same shape the server stores.
 */
export function HoursEditor({ value, onChange }: Props) {
  const { t } = useTranslation();
  if (!value) return null;
  const setDay = (day: Weekday, ranges: TimeRange[]) => onChange?.({ ...value, weekly: { ...value.weekly, [day]: ranges } });
  const copyMondayToAll = () => onChange?.({ ...value, weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, value.weekly.mon.map((r) => ({ ...r }))])) as OpeningHours['weekly'] });
  const setException = (index: number, exception: HoursException) => onChange?.({ ...value, exceptions: value.exceptions.map((e, i) => (i === index ? exception : e)) });

  return (
    <Flex vertical gap={12} data-testid="hours-editor">
      <Typography.Text type="secondary">{t('stations.hours.hint')}</Typography.Text>
      {WEEKDAYS.map((day) => (
        <Flex key={day} gap={12} align="flex-start" data-testid={`hours-day-${day}`}>
          <Typography.Text strong style={{ width: 48, paddingTop: 5 }}>
            {t(`stations.weekday.${day}`)}
          </Typography.Text>
          <RangesEditor ranges={value.weekly[day]} onChange={(ranges) => setDay(day, ranges)} testId={`hours-ranges-${day}`} />
        </Flex>
      ))}
      <Button icon={<CopyOutlined />} style={{ alignSelf: 'flex-start' }} onClick={copyMondayToAll} data-testid="hours-copy-monday">
        {t('stations.hours.copyMonday')}
      </Button>
      <Typography.Title level={5} style={{ margin: '8px 0 0' }}>
        {t('stations.hours.exceptions')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('stations.hours.exceptionsHint')}</Typography.Text>
      {value.exceptions.map((exception, index) => (
        <ExceptionEditor
          key={index}
          index={index}
          exception={exception}
          onChange={(e) => setException(index, e)}
          onRemove={() => onChange?.({ ...value, exceptions: value.exceptions.filter((_, i) => i !== index) })}
        />
      ))}
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        style={{ alignSelf: 'flex-start' }}
        onClick={() => onChange?.({ ...value, exceptions: [...value.exceptions, { from: '', to: '', ranges: [] }] })}
        data-testid="hours-add-exception"
      >
        {t('stations.hours.addException')}
      </Button>
    </Flex>
  );
}
