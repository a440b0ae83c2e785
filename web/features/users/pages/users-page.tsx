import { Button, Card, Flex, Grid, Input, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { type ManagedUser, useUserList } from '../api';
import { UserDrawer } from '../components/user-drawer';
import { UserCards, UserTable } from '../components/user-list-views';

/** Users and their roles for system admins (everyone) and org admins (their subtree): search, page, manage. */
export function UsersPage() {
  const { t } = useTranslation();
  const narrow = Grid.useBreakpoint().md === false;
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 300);
  const list = useUserList(q);
  const users = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  // The drawer shows the user as the last answer about them said; lists refresh behind it.
  const [open, setOpen] = useState<ManagedUser | null>(null);
  const reportError = useApiErrorReporter();
  const onChanged = useCallback((user: ManagedUser) => setOpen(user), []);

  useEffect(() => {
    if (list.error) reportError(list.error);
  }, [list.error, reportError]);

  const loading = list.isPending || (list.isFetching && !list.isFetchingNextPage);

  return (
    <Card title={t('users.title')} styles={narrow ? { body: { padding: 12 } } : undefined}>
      <Typography.Paragraph type="secondary">{t('users.scopeHint')}</Typography.Paragraph>
      <Input.Search
        allowClear
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        placeholder={t('users.searchPlaceholder')}
        aria-label={t('users.searchPlaceholder')}
        maxLength={64}
        data-testid="user-search"
        style={{ width: narrow ? '100%' : 300, marginBottom: 12 }}
      />
      {narrow ? <UserCards users={users} loading={loading} onOpen={setOpen} /> : <UserTable users={users} loading={loading} onOpen={setOpen} />}
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary" data-testid="user-loaded">
          {t('users.loaded', { count: users.length })}
        </Typography.Text>
        {list.hasNextPage ? (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="user-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          list.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
      <UserDrawer user={open} onClose={() => setOpen(null)} onChanged={onChanged} />
    </Card>
  );
}
