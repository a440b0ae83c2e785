import { Alert, Descriptions, Divider, Drawer, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/api';
import type { ManagedUser } from '../api';
import { AccountSection } from './account-section';
import { GrantSection } from './grant-section';
import { UserStatusTags } from './user-status';

type Props = { user: ManagedUser | null; onClose: () => void; onChanged: (user: ManagedUser) => void };

/** One user: who they are, the grants the admin may change, and their account. */
export function UserDrawer({ user, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const me = useMe().data;
  // Nobody changes their own grants or account (the server answers 409); say so instead of offering it.
  const self = user !== null && me?.id === user.id;
  return (
    <Drawer open={user !== null} onClose={onClose} size={520} title={user ? `${user.displayName} (${user.username})` : ''} destroyOnHidden data-testid="user-drawer">
      {user && (
        <Flex vertical gap={12}>
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'username', label: t('users.field.username'), children: user.username },
              { key: 'displayName', label: t('users.field.displayName'), children: user.displayName },
              { key: 'status', label: t('users.field.status'), children: <UserStatusTags user={user} /> },
            ]}
          />
          {self && <Alert type="info" showIcon title={t('users.self')} data-testid="user-self" />}
          <GrantSection user={user} editable={!self} onChanged={onChanged} />
          <Divider style={{ margin: '4px 0' }} />
          <AccountSection user={user} editable={!self} onChanged={onChanged} />
        </Flex>
      )}
    </Drawer>
  );
}
