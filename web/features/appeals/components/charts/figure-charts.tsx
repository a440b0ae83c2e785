// The three charts of the figures page. Each builds its option from the server's figures; the
// category colours are fixed per code so a category has the same colour in the bars and the donut.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { APPEAL_CATEGORIES, type AppealCategory, type AppealFigures, useAppealCategories } from '../../api';
import { type ChartOption, EChart } from '../../../../lib/echart';

const CATEGORY_COLORS: Record<AppealCategory, string> = {
  income_fees: '#c0392b',
  dispatch_algorithm: '#2f54eb',
  account_penalties: '#d48806',
  safety: '#cf1322',
  traffic_parking: '#13a8a8',
  rest_facilities: '#52c41a',
  insurance_injury: '#722ed1',
  contracts_labour: '#eb2f96',
  customer_disputes: '#fa8c16',
  health: '#1677ff',
  other: '#8c8c8c',
};

// Star ratings from poor to good, red to green, so a glance shows which way satisfaction leans.
const RATING_COLORS = ['#cf1322', '#fa541c', '#faad14', '#a0d911', '#389e0d'];

/** Category names that stay the same function until the list or the language changes, so a chart is not redrawn on every render. */
function useStableCategoryName(): (code: AppealCategory) => string {
  const categories = useAppealCategories().data;
  const english = useTranslation().i18n.language === 'en';
  return useMemo(() => {
    const names = new Map(categories?.map((c) => [c.code, english ? c.nameEn : c.nameZh]));
    return (code: AppealCategory) => names.get(code) ?? code;
  }, [categories, english]);
}

/** "11-23" for the week starting Monday 2026-11-23: the year is in the period picker already. */
const shortWeek = (monday: string) => monday.slice(5);

/** Only categories with appeals in the period, in the taxonomy's order. */
function categoriesIn(figures: AppealFigures): AppealCategory[] {
  const present = new Set(figures.volume.filter((v) => v.count > 0).map((v) => v.category));
  return APPEAL_CATEGORIES.filter((c) => present.has(c));
}

export function VolumeChart({ figures }: { figures: AppealFigures }) {
  const { t } = useTranslation();
  const categoryName = useStableCategoryName();
  const option = useMemo<ChartOption>(() => {
    const counts = new Map(figures.volume.map((v) => [`${v.week}|${v.category}`, v.count]));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
      xAxis: { type: 'category', data: figures.weeks.map(shortWeek), name: t('appeals.figures.weekOf'), nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', minInterval: 1 },
      series: categoriesIn(figures).map((category) => ({
        type: 'bar',
        stack: 'volume',
        name: categoryName(category),
        itemStyle: { color: CATEGORY_COLORS[category] },
        emphasis: { focus: 'series' },
        data: figures.weeks.map((week) => counts.get(`${week}|${category}`) ?? 0),
      })),
    };
  }, [figures, categoryName, t]);
  return <EChart option={option} height={340} label={t('appeals.figures.volumeChart')} testId="figures-volume-chart" />;
}

export function CategoryDonut({ figures }: { figures: AppealFigures }) {
  const { t } = useTranslation();
  const categoryName = useStableCategoryName();
  const option = useMemo<ChartOption>(() => {
    const totals = new Map<AppealCategory, number>();
    for (const v of figures.volume) totals.set(v.category, (totals.get(v.category) ?? 0) + v.count);
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['35%', '50%'],
          avoidLabelOverlap: true,
          label: { show: false },
          data: categoriesIn(figures).map((category) => ({
            name: categoryName(category),
            value: totals.get(category) ?? 0,
            itemStyle: { color: CATEGORY_COLORS[category] },
          })),
        },
      ],
    };
  }, [figures, categoryName]);
  return <EChart option={option} height={300} label={t('appeals.figures.categoryChart')} testId="figures-category-chart" />;
}

export function RatingsChart({ figures }: { figures: AppealFigures }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: figures.satisfaction.ratings.map((r) => t('appeals.figures.stars', { count: r.stars })) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('appeals.figures.ratingCount'),
          barMaxWidth: 48,
          data: figures.satisfaction.ratings.map((r, index) => ({ value: r.count, itemStyle: { color: RATING_COLORS[index] } })),
        },
      ],
    }),
    [figures, t],
  );
  return <EChart option={option} height={300} label={t('appeals.figures.ratingsChart')} testId="figures-ratings-chart" />;
}
