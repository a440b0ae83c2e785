import {
  CarOutlined,
  CoffeeOutlined,
  CommentOutlined,
  EllipsisOutlined,
  FileTextOutlined,
  HeartOutlined,
  MedicineBoxOutlined,
  MoneyCollectOutlined,
  NodeIndexOutlined,
  SafetyOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { Button, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppealCategory, useAppealCategories } from '../api';

const ICONS: Record<AppealCategory, ReactNode> = {
  income_fees: <MoneyCollectOutlined />,
  dispatch_algorithm: <NodeIndexOutlined />,
  account_penalties: <StopOutlined />,
  safety: <SafetyOutlined />,
  traffic_parking: <CarOutlined />,
  rest_facilities: <CoffeeOutlined />,
  insurance_injury: <MedicineBoxOutlined />,
  contracts_labour: <FileTextOutlined />,
  customer_disputes: <CommentOutlined />,
  health: <HeartOutlined />,
  other: <EllipsisOutlined />,
};

type Props = { value?: AppealCategory; onChange?: (value: AppealCategory) => void; id?: string };

/** The categories as big tiles, two to a row: one tap with a thumb, no list to scroll through. */
export function CategoryTiles({ value, onChange, id }: Props) {
  const { i18n } = useTranslation();
  const categories = useAppealCategories();
  if (!categories.data) return <Skeleton active paragraph={{ rows: 3 }} />;
  const english = i18n.language === 'en';
  return (
    <div id={id} role="radiogroup" style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 8 }} data-testid="category-tiles">
      {categories.data.map((c) => {
        const selected = c.code === value;
        return (
          <Button
            key={c.code}
            role="radio"
            aria-checked={selected}
            type={selected ? 'primary' : 'default'}
            icon={ICONS[c.code]}
            onClick={() => onChange?.(c.code)}
            // Grows for a long English name rather than spilling out of the tile.
            style={{ height: 'auto', minHeight: 56, paddingBlock: 8, fontSize: 15, justifyContent: 'flex-start', whiteSpace: 'normal', textAlign: 'start', lineHeight: 1.2 }}
            data-testid={`category-${c.code}`}
          >
            {english ? c.nameEn : c.nameZh}
          </Button>
        );
      })}
    </div>
  );
}
